using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;

namespace AuthServer.Bench;

/// <summary>
/// Uses every key exactly once, from as many concurrent requests as wrk has connections. wrk cannot stop after a
/// given number of requests, so this pass is made with HttpClient; its figures are informational.
/// </summary>
internal static class ColdPass
{
    public static async Task<WrkResult> RunAsync(Uri server, string path, IReadOnlyList<Credentials> keys, int connections)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections }) { BaseAddress = server };
        var latencies = new ConcurrentBag<long>();
        long non200 = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = connections }, async (key, ct) =>
        {
            var started = Stopwatch.GetTimestamp();
            using var request = new HttpRequestMessage(HttpMethod.Post, path.TrimStart('/'))
            {
                Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("scope", Provisioner.Scope)]),
            };
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(key.BasicAuthorization);
            using var response = await http.SendAsync(request, ct);
            await response.Content.ReadAsByteArrayAsync(ct);
            latencies.Add((long)Stopwatch.GetElapsedTime(started).TotalMicroseconds);
            if ((int)response.StatusCode != 200)
            {
                Interlocked.Increment(ref non200);
            }
        });
        var elapsed = clock.Elapsed;
        var sorted = latencies.Order().ToArray();
        long Percentile(double p) => sorted[Math.Min(sorted.Length - 1, (int)(p / 100 * sorted.Length))];
        return new WrkResult(sorted.Length, (long)elapsed.TotalMicroseconds, 0, non200, 0, 0, 0,
            new WrkLatency(sorted.Average(), Percentile(50), Percentile(90), Percentile(99), sorted[^1]));
    }
}
