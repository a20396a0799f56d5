// Namespaces nearly every file of this project uses.
global using EventLog.Cli.Tests.Infrastructure;
global using System.Text.Json;
