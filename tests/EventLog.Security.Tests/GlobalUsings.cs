// Namespaces nearly every file of this project uses.
global using EventLog.Security.Tests.Infrastructure;
global using Grpc.Core;
