// Namespaces nearly every file of this project uses.
global using Xunit;
global using EventLog.Interop.Tests.Infrastructure;
