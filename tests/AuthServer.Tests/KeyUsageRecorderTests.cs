using AuthServer.ApiKeys;

namespace AuthServer.Tests;

/// <summary>A key's last use, while its batch is being written, is still what a view of the key shows.</summary>
public sealed class KeyUsageRecorderTests
{
    [Fact]
    public void A_use_in_the_batch_being_written_is_still_pending_until_it_is_written()
    {
        var recorder = new KeyUsageRecorder();
        var usedAt = new DateTime(2026, 12, 3, 12, 0, 0, DateTimeKind.Utc);
        recorder.Record("ak_1", usedAt, SecretMatch.Previous);

        var batch = recorder.TakeBatch();

        Assert.Single(batch);
        Assert.Equal(usedAt, recorder.PendingFor("ak_1", SecretMatch.Previous)); // before: null until the rows were committed
        Assert.Null(recorder.PendingFor("ak_1"));
        recorder.Record("ak_1", usedAt.AddSeconds(1), SecretMatch.Previous);
        Assert.Equal(usedAt.AddSeconds(1), recorder.PendingFor("ak_1", SecretMatch.Previous));

        recorder.Written();
        Assert.Equal(usedAt.AddSeconds(1), recorder.PendingFor("ak_1", SecretMatch.Previous));
        recorder.TakeBatch();
        recorder.Written();
        Assert.Null(recorder.PendingFor("ak_1", SecretMatch.Previous));
    }

    [Fact]
    public void A_batch_that_could_not_be_written_is_pending_again_with_the_newer_uses_kept()
    {
        var recorder = new KeyUsageRecorder();
        var usedAt = new DateTime(2026, 12, 3, 12, 0, 0, DateTimeKind.Utc);
        recorder.Record("ak_1", usedAt);
        var batch = recorder.TakeBatch();
        recorder.Record("ak_1", usedAt.AddSeconds(5));

        recorder.Restore(batch);

        Assert.Equal(usedAt.AddSeconds(5), recorder.PendingFor("ak_1"));
        Assert.Equal(1, recorder.Backlog);
    }
}
