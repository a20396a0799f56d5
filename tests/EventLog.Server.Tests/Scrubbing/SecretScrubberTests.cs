using EventLog.Server.Infrastructure;

namespace EventLog.Server.Tests.Scrubbing;

public sealed class SecretScrubberTests
{
    /// <summary>Free text as written, and as it must be stored.</summary>
    public static TheoryData<string, string> Texts => new()
    {
        // key=value and key: value, keys matched as words
        { "password=hunter2", "password=***" },
        { "login with PASSWORD = hunter2 now", "login with PASSWORD = *** now" },
        { "export OS_PASSWORD=s3cr3t", "export OS_PASSWORD=***" },
        { "dbPassword: 'p@ss w0rd'", "dbPassword: '***'" },
        { "{\"db_pass\": \"abc123\", \"user\": \"admin\"}", "{\"db_pass\": \"***\", \"user\": \"admin\"}" },
        { "api_key=AbCdEf123456", "api_key=***" },
        { "X-Api-Key: 0123456789abcdef", "X-Api-Key: ***" },
        { "client_secret=xyz&grant_type=client_credentials", "client_secret=***&grant_type=client_credentials" },
        { "privateKey=MIIEvQIBADANBg", "privateKey=***" },
        { "auth_token=tok_123;next=1", "auth_token=***;next=1" },
        { "credential: admin:admin", "credential: ***" },
        { "passwd=a pwd=b", "passwd=*** pwd=***" },
        { "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AWS_SECRET_ACCESS_KEY=***" },
        // credentials recognised by their shape
        { "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "Authorization: Bearer ***" },
        { "curl -H 'Authorization: Basic dXNlcjpwYXNz' http://h", "curl -H 'Authorization: Basic ***' http://h" },
        { "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl in the cookie", "token *** in the cookie" },
        { "using AKIAIOSFODNN7EXAMPLE for s3", "using *** for s3" },
        { "connecting to mysql://root:s3cret@db.local:3306/app", "connecting to mysql://root:***@db.local:3306/app" },
        { "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----", "-----BEGIN PRIVATE KEY-----***-----END PRIVATE KEY-----" },
        { "key follows -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq", "key follows -----BEGIN PRIVATE KEY-----***-----END PRIVATE KEY-----" },
        { "Traceback: keystone failed with OS_PASSWORD=hunter2 OS_USERNAME=admin", "Traceback: keystone failed with OS_PASSWORD=*** OS_USERNAME=admin" },
        // left alone
        { "monkey=banana", "monkey=banana" },
        { "keyboard: us", "keyboard: us" },
        { "ssh_key_name=deploy", "ssh_key_name=deploy" },
        { "passenger=3", "passenger=3" },
        { "tokenizer=unicode61", "tokenizer=unicode61" },
        { "Basic configuration is applied", "Basic configuration is applied" },
        { "the bearer of bad news", "the bearer of bad news" },
        { "step 3 of 5: copying disk image", "step 3 of 5: copying disk image" },
        { "http://example.test:8080/path?page=2", "http://example.test:8080/path?page=2" },
        { "vm=web-1 state=running", "vm=web-1 state=running" },
        { "Password policy updated", "Password policy updated" },
        { "", "" },
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void Scrub_MasksSecretsAndNothingElse(string text, string stored)
    {
        Assert.Equal(stored, SecretScrubber.Scrub(text));
    }

    [Theory]
    [InlineData("password", true)]
    [InlineData("OS_PASSWORD", true)]
    [InlineData("dbPassword", true)]
    [InlineData("api-key", true)]
    [InlineData("apiKey", true)]
    [InlineData("private_key", true)]
    [InlineData("monkey", false)]
    [InlineData("key", false)]
    [InlineData("keystone_url", false)]
    [InlineData("passenger", false)]
    public void IsSecretName_MatchesWords(string name, bool secret)
    {
        Assert.Equal(secret, SecretScrubber.IsSecretName(name));
    }

    [Fact]
    public void ScrubParams_MasksSecretNames_AndSecretsInOtherValues()
    {
        var scrubbed = SecretScrubber.ScrubParams(new Dictionary<string, string>
        {
            ["password"] = "hunter2",
            ["monkey"] = "banana",
            ["command"] = "mysql -u root --password=hunter2",
        });

        Assert.Equal("***", scrubbed["password"]);
        Assert.Equal("banana", scrubbed["monkey"]);
        Assert.Equal("mysql -u root --password=***", scrubbed["command"]);
    }
}
