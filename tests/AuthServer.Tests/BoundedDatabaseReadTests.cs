using System.Diagnostics;
using AuthServer.Data;

namespace AuthServer.Tests;

/// <summary>
/// <see cref="DatabaseFailure.WithinAsync{T}"/>, the bound on every request-path read, against a read that behaves like
/// Npgsql on a stalled PostgreSQL: it never answers, and its cancellation callback blocks (Npgsql sends a cancel
/// request and waits for the stalled server for up to twice the connection timeout).
/// </summary>
public sealed class BoundedDatabaseReadTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task A_read_that_never_answers_is_unavailable_at_the_bound_and_its_cancellation_runs_off_the_thread_pool()
    {
        var stalled = new StalledRead(TimeSpan.FromSeconds(2));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<DatabaseUnavailableException>(() => DatabaseFailure.WithinAsync(Bound, stalled.ReadAsync, CancellationToken.None));

        Assert.InRange(clock.Elapsed, Bound, Bound + TimeSpan.FromSeconds(1));
        var onThreadPool = await stalled.CancelledOnThreadPool.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(onThreadPool, "the blocking cancellation ran on a thread-pool thread");
    }

    [Fact]
    public async Task Many_stalled_reads_whose_cancellation_blocks_leave_the_thread_pool_free_for_other_requests()
    {
        var stalled = Enumerable.Range(0, 4 * Environment.ProcessorCount + 8).Select(_ => new StalledRead(TimeSpan.FromSeconds(3))).ToList();

        var outcomes = await Task.WhenAll(stalled.Select(read => Record.ExceptionAsync(() => DatabaseFailure.WithinAsync(Bound, read.ReadAsync, CancellationToken.None))));
        var onThreadPool = await Task.WhenAll(stalled.Select(read => read.CancelledOnThreadPool.Task)).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.All(outcomes, outcome => Assert.IsType<DatabaseUnavailableException>(outcome));
        // While every cancellation is still blocked, work queued to the thread pool (the next HTTP request) runs at once.
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Thread.Sleep(1))));
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(500), $"thread-pool work waited {clock.ElapsedMilliseconds} ms");
        Assert.DoesNotContain(true, onThreadPool);
    }

    [Fact]
    public async Task A_caller_that_gives_up_is_told_so_and_the_read_is_cancelled_off_the_thread_pool()
    {
        var stalled = new StalledRead(TimeSpan.FromSeconds(2));
        using var caller = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => DatabaseFailure.WithinAsync(TimeSpan.FromSeconds(10), stalled.ReadAsync, caller.Token));

        Assert.False(await stalled.CancelledOnThreadPool.Task.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_read_that_answers_in_time_is_returned_and_a_database_error_is_unavailable()
    {
        Assert.Equal(42, await DatabaseFailure.WithinAsync(Bound, _ => Task.FromResult(42), CancellationToken.None));
        await Assert.ThrowsAsync<DatabaseUnavailableException>(() =>
            DatabaseFailure.WithinAsync<int>(Bound, _ => Task.FromException<int>(new TimeoutException("connect")), CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            DatabaseFailure.WithinAsync<int>(Bound, _ => Task.FromException<int>(new InvalidOperationException("a bug, not an outage")), CancellationToken.None));
    }

    /// <summary>A read that never answers; cancelling it blocks the cancelling thread for <c>cancellationTakes</c>.</summary>
    private sealed class StalledRead(TimeSpan cancellationTakes)
    {
        public TaskCompletionSource<bool> CancelledOnThreadPool { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<int> ReadAsync(CancellationToken cancellationToken)
        {
            var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using var registration = cancellationToken.Register(() =>
            {
                CancelledOnThreadPool.TrySetResult(Thread.CurrentThread.IsThreadPoolThread);
                Thread.Sleep(cancellationTakes);
                cancelled.TrySetResult();
            });
            await cancelled.Task;
            throw new OperationCanceledException(cancellationToken);
        }
    }
}
