using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AuthServer.Tests.Infrastructure;

/// <summary>
/// A throwaway Redis (scripts/redis-throwaway.sh), like <see cref="PostgresCluster"/>: the shared one is the server CI
/// started (AUTHSERVER_TEST_REDIS) or, when run locally, one this test run starts; tests that stop Redis start their
/// own. Without redis-server installed these tests fail, saying so.
/// </summary>
public sealed class RedisServer
{
    public const string EnvironmentVariable = "AUTHSERVER_TEST_REDIS";

    private static readonly Lazy<RedisServer> SharedServer = new(() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } given ? new RedisServer(given, null) : StartDedicated());

    private readonly string? _folder;

    private RedisServer(string address, string? folder)
    {
        Address = address;
        _folder = folder;
    }

    public static RedisServer Shared => SharedServer.Value;

    /// <summary><c>127.0.0.1:port</c>, as <c>Limits:Redis</c> takes it.</summary>
    public string Address { get; }

    /// <summary>Settings for a server that counts in this Redis, under a prefix of its own (so that test classes never share counts).</summary>
    /// <summary>
    /// Settings that use this Redis, with a patient timeout: on a busy machine a first call can pass the default
    /// 250 ms and fail open, which is not what a test of sharing looks at (the tests of a stalled Redis set their own).
    /// </summary>
    public Dictionary<string, string?> Settings(string prefix) => new()
    {
        ["Limits:Redis"] = Address,
        ["Limits:RedisKeyPrefix"] = $"test:{prefix}:{Guid.NewGuid():N}:",
        ["Limits:RedisTimeout"] = "00:00:05",
    };

    public static RedisServer StartDedicated()
    {
        var folder = Directory.CreateTempSubdirectory("authserver-redis-").FullName;
        return new RedisServer(Script("start", folder, AuthServerProcess.FreeLoopbackPort()), folder);
    }

    /// <summary>Stops the server (only a dedicated one): connections are then refused.</summary>
    public void Stop()
    {
        if (_folder is not null)
        {
            Script("stop", _folder);
        }
    }

    /// <summary>Freezes the server (SIGSTOP): connections still open, nothing is answered, until <see cref="Resume"/>.</summary>
    public void Pause() => Signal("-STOP");

    public void Resume() => Signal("-CONT");

    private void Signal(string signal)
    {
        var pid = File.ReadAllText(Path.Combine(_folder ?? throw new InvalidOperationException("Only a dedicated Redis can be paused."), "redis.pid")).Trim();
        using var kill = Process.Start("kill", [signal, pid]);
        kill.WaitForExit();
    }

    private static string Script(string command, string folder, int? port = null) =>
        ThrowawayScript.Run("redis-throwaway.sh", "REDIS_THROWAWAY_OWNER_PID", command, folder, port);
}

/// <summary>A "Redis" that accepts connections and never answers: the stalled fault, apart from a stopped one.</summary>
public sealed class StalledRedis : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _held = [];
    private readonly CancellationTokenSource _stop = new();

    public StalledRedis()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_held)
                {
                    _held.Add(client); // held open, never read from or written to
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_held)
        {
            _held.ForEach(client => client.Dispose());
        }

        _stop.Dispose();
    }
}
