// Namespaces most files of the server use: gRPC, the storage API, the shared infrastructure, auth and options.
global using Grpc.Core;
global using EventLog.Storage;
global using EventLog.Server.Infrastructure;
global using EventLog.Server.Auth;
global using Microsoft.Extensions.Options;
