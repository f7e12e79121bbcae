using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace AuthServer.Data;

/// <summary>
/// Every time is stored in UTC with microsecond precision (PostgreSQL's), so that all providers give back what
/// was written. SQLite and SQL Server hand back <see cref="DateTimeKind.Unspecified"/>; reads mark them UTC again.
/// </summary>
internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    value => StoredTime.Of(value),
    value => DateTime.SpecifyKind(value, DateTimeKind.Utc));

internal sealed class NullableUtcDateTimeConverter() : ValueConverter<DateTime?, DateTime?>(
    value => value.HasValue ? StoredTime.Of(value.Value) : value,
    value => value.HasValue ? DateTime.SpecifyKind(value.Value, DateTimeKind.Utc) : value);

public static class StoredTime
{
    /// <summary>The value as the database keeps it: UTC, whole microseconds.</summary>
    public static DateTime Of(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Utc ? value : value.ToUniversalTime();
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMicrosecond), DateTimeKind.Utc);
    }
}
