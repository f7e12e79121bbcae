namespace SampleApi.Tests.Infrastructure;

/// <summary>The paths of the HTTP requests a resource server sends to the AuthServer, in order.</summary>
public sealed class BackchannelRecorder
{
    private readonly List<string> _paths = [];

    public int Mark()
    {
        lock (_paths)
        {
            return _paths.Count;
        }
    }

    public IReadOnlyList<string> Since(int mark)
    {
        lock (_paths)
        {
            return _paths.Skip(mark).ToList();
        }
    }

    private void Record(string path)
    {
        lock (_paths)
        {
            _paths.Add(path);
        }
    }

    /// <summary>Sits in the backchannel HttpClient's pipeline; a new one per pipeline, as handlers cannot be shared.</summary>
    public sealed class Handler(BackchannelRecorder recorder) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            recorder.Record(request.RequestUri!.AbsolutePath);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
