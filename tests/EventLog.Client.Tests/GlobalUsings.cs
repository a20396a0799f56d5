// Namespaces nearly every file of this project uses.
global using EventLog.Client.Tests.Infrastructure;
global using Grpc.Core;
