// Namespaces nearly every file of this project uses.
global using EventLog.Server.Tests.Infrastructure;
global using Grpc.Core;
