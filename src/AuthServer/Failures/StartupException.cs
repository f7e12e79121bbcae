namespace AuthServer.Failures;

/// <summary>Configuration that the server refuses to start with. Program prints the message as one line.</summary>
public sealed class StartupException(string message) : Exception(message);
