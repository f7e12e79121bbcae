using System.Data.Common;
using System.Net.Sockets;

namespace AuthServer.Data;

/// <summary>Tells "the database cannot be reached right now" (retry later: 503) from every other failure.</summary>
public static class DatabaseFailure
{
    public static bool IsUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException or TimeoutException or SocketException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Runs a read on the request path with an upper bound: a database that is down, unreachable or slower than
    /// <paramref name="timeout"/> becomes a <see cref="DatabaseUnavailableException"/> (answered 503), never a hang.
    /// </summary>
    public static async Task<T> WithinAsync<T>(TimeSpan timeout, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            return await read(bounded.Token);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DatabaseUnavailableException(exception);
        }
        catch (Exception exception) when (IsUnavailable(exception))
        {
            throw new DatabaseUnavailableException(exception);
        }
    }
}

/// <summary>The database is down, unreachable or too slow right now: answer 503 and let the caller retry.</summary>
public sealed class DatabaseUnavailableException(Exception inner)
    : Exception("The database cannot be reached right now.", inner);
