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
            if (current is DatabaseUnavailableException or DbException or TimeoutException or SocketException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Runs a read on the request path with an upper bound: a database that is down, unreachable or slower than
    /// <paramref name="timeout"/> becomes a <see cref="DatabaseUnavailableException"/> (answered 503), never a hang.
    /// The read is cancelled at the bound (or when the caller gives up), and the caller does not wait for the
    /// cancellation to be honoured: a database that accepts connections and then stops answering keeps a provider's
    /// cancellation busy long past the bound. Npgsql, for one, sends PostgreSQL a cancel request inside the
    /// cancellation callback and blocks until the stalled server answers or twice the connection timeout has passed
    /// (30 s by default). That wait runs on a thread of its own, never on the thread pool: a thread-pool thread held
    /// per stalled read would starve every other request of the instance, healthy ones included.
    /// </summary>
    public static async Task<T> WithinAsync<T>(TimeSpan timeout, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        // Not disposed here: an abandoned read may still hold its token; it is disposed when the read has ended.
        var bounded = new CancellationTokenSource();
        Task<T> reading;
        try
        {
            reading = read(bounded.Token);
        }
        catch
        {
            bounded.Dispose();
            throw;
        }

        _ = reading.ContinueWith(static (task, state) =>
        {
            _ = task.Exception; // observed: an abandoned read's failure is not an unobserved-task error
            ((CancellationTokenSource)state!).Dispose();
        }, bounded, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        try
        {
            return await reading.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException exception)
        {
            CancelOnOwnThread(bounded, reading);
            throw new DatabaseUnavailableException(exception);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            CancelOnOwnThread(bounded, reading);
            throw;
        }
        catch (OperationCanceledException exception)
        {
            throw new DatabaseUnavailableException(exception);
        }
        catch (Exception exception) when (IsUnavailable(exception))
        {
            throw new DatabaseUnavailableException(exception);
        }
    }

    private static void CancelOnOwnThread(CancellationTokenSource source, Task reading)
    {
        if (reading.IsCompleted)
        {
            return;
        }

        new Thread(static state => CancelQuietly((CancellationTokenSource)state!))
        {
            IsBackground = true,
            Name = "Abandoned database read",
        }.Start(source);
    }

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The read ended meanwhile.
        }
    }
}

/// <summary>The database is down, unreachable or too slow right now: answer 503 and let the caller retry.</summary>
public sealed class DatabaseUnavailableException(Exception inner)
    : Exception("The database cannot be reached right now.", inner);
