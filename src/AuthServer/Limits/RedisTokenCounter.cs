using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AuthServer.Limits;

/// <summary>
/// Token requests per key, counted in Redis so that every instance enforces one limit together: a fixed window per
/// key, one <c>INCR</c> (with its expiry set on the first) per request, windows aligned on the clock so that all
/// instances share them. Every call is bounded by <see cref="LimitsOptions.RedisTimeout"/>, also when Redis accepts
/// connections and never answers; a failure answers null (the caller counts on this instance: fail open), and
/// Redis is left alone for <see cref="LimitsOptions.RedisRetryAfter"/> so that a stalled Redis costs one wait, not one per request.
/// </summary>
public sealed partial class RedisTokenCounter : IAsyncDisposable
{
    private const string Script = "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return n";

    private readonly LimitsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisTokenCounter> _logger;
    private readonly Task<ConnectionMultiplexer> _connection;
    private long _skipUntilTicks;
    private int _down;

    public RedisTokenCounter(IOptions<LimitsOptions> options, TimeProvider time, ILogger<RedisTokenCounter> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        var configuration = ConfigurationOptions.Parse(_options.Redis!);
        var timeout = (int)Math.Ceiling(_options.RedisTimeout.TotalMilliseconds);
        configuration.AbortOnConnectFail = false; // start, and keep trying, while Redis is away
        configuration.BacklogPolicy = BacklogPolicy.FailFast; // no queue of requests waiting for a reconnection
        configuration.AsyncTimeout = timeout;
        configuration.SyncTimeout = timeout;
        configuration.ConnectTimeout = Math.Max(timeout, 1000);
        _connection = Task.Run(() => ConnectionMultiplexer.ConnectAsync(configuration));
    }

    /// <summary>Whether the last call reached Redis (false also before the first one failed to).</summary>
    public bool IsDown => Volatile.Read(ref _down) == 1;

    /// <summary>This request's number in its key's current window, and when the window ends; null when Redis did not answer in time.</summary>
    public async ValueTask<(long Count, TimeSpan WindowLeft)?> CountAsync(string keyId, TimeSpan window, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (now.UtcTicks < Interlocked.Read(ref _skipUntilTicks))
        {
            return null;
        }

        var windowMs = Math.Max(1, (long)window.TotalMilliseconds);
        var nowMs = now.ToUnixTimeMilliseconds();
        var index = nowMs / windowMs;
        RedisKey key = $"{_options.RedisKeyPrefix}tokens:{keyId}:{windowMs}:{index}";
        try
        {
            var connection = await _connection.WaitAsync(_options.RedisTimeout, cancellationToken);
            var result = await connection.GetDatabase().ScriptEvaluateAsync(Script, [key], [windowMs])
                .WaitAsync(_options.RedisTimeout, cancellationToken);
            MarkUp();
            return ((long)result, TimeSpan.FromMilliseconds(((index + 1) * windowMs) - nowMs));
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            MarkDown(exception);
            return null;
        }
    }

    /// <summary>A PING within the timeout, for the health check.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            var connection = await _connection.WaitAsync(_options.RedisTimeout, cancellationToken);
            await connection.GetDatabase().PingAsync().WaitAsync(_options.RedisTimeout, cancellationToken);
            MarkUp();
            return true;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            MarkDown(exception);
            return false;
        }
    }

    private void MarkUp()
    {
        if (Interlocked.Exchange(ref _down, 0) == 1)
        {
            LogBack(_logger);
        }
    }

    private void MarkDown(Exception exception)
    {
        Interlocked.Exchange(ref _skipUntilTicks, (_time.GetUtcNow() + _options.RedisRetryAfter).UtcTicks);
        if (Interlocked.Exchange(ref _down, 1) == 0)
        {
            LogDown(_logger, exception.GetType().Name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsCompletedSuccessfully)
        {
            await _connection.Result.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis did not answer ({Failure}): token limits are counted per instance until it does.")]
    private static partial void LogDown(ILogger logger, string failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis answers again: token limits are shared between instances.")]
    private static partial void LogBack(ILogger logger);
}
