// Namespaces nearly every file of this project uses.
global using EventLog.Storage;
global using EventLog.Storage.Core;
global using EventLog.Storage.TaskLog;
global using EventLog.Storage.Messages;
global using EventLog.Storage.Provisioning;
global using EventLog.Storage.GuestLogs;
global using EventLog.Storage.Tests.Infrastructure;
