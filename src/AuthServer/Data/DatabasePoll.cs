namespace AuthServer.Data;

/// <summary>
/// The loop of a background service that reads the database on a timer: a poll at once, then one each interval until
/// the server stops. A failed poll (the database down or stalled) is reported and the next tick tries again; it never
/// ends the service.
/// </summary>
public static class DatabasePoll
{
    public static async Task RunAsync(
        TimeSpan interval, TimeProvider time, Func<CancellationToken, Task> poll, Action<Exception> failed, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                await poll(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                failed(exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
