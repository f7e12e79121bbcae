using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace AuthServer.Tests.Recipes;

/// <summary>A stand-in for the API a backend calls, on a loopback port: answers 200 and records each bearer token it was sent.</summary>
public sealed class RecordingApi : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<string> _tokens = new();

    public RecordingApi()
    {
        Url = new Uri($"http://127.0.0.1:{Infrastructure.AuthServerProcess.FreeLoopbackPort()}/invoices/");
        _listener.Prefixes.Add(Url.AbsoluteUri);
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    public IReadOnlyList<string> Tokens => [.. _tokens];

    public void Dispose() => _listener.Close();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var authorization = context.Request.Headers["Authorization"] ?? "";
            _tokens.Enqueue(authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : "");
            var body = Encoding.UTF8.GetBytes("{\"invoices\":[]}");
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }
}
