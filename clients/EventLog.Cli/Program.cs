using EventLog.Cli;

return await CliApp.RunAsync(args);
