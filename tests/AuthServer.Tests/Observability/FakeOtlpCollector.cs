using System.Collections.Concurrent;
using System.Net;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests.Observability;

/// <summary>An OTLP/HTTP receiver on loopback that keeps every request body by path and answers 200.</summary>
public sealed class FakeOtlpCollector : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(string Path, byte[] Body)> _received = new();

    public FakeOtlpCollector()
    {
        Endpoint = $"http://127.0.0.1:{AuthServerProcess.FreeLoopbackPort()}";
        _listener.Prefixes.Add(Endpoint + "/");
        _listener.Start();
        _ = ServeAsync();
    }

    public string Endpoint { get; }

    /// <summary>The bodies received at <paramref name="path"/> so far, once one holds <paramref name="text"/> (UTF-8, as protobuf keeps strings).</summary>
    public async Task<byte[]> WaitForAsync(string path, string text, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var bodies = _received.Where(r => r.Path == path).SelectMany(r => r.Body).ToArray();
            if (System.Text.Encoding.UTF8.GetString(bodies).Contains(text, StringComparison.Ordinal))
            {
                return bodies;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Nothing holding {text} was exported to {path} within {timeout}.");
    }

    public byte[] Everything() => _received.SelectMany(r => r.Body).ToArray();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            _received.Enqueue((context.Request.Url!.AbsolutePath, body.ToArray()));
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }

    public void Dispose() => _listener.Close();
}
