using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace AuthServer.Data;

/// <summary>
/// Every time is stored in UTC. SQLite and SQL Server hand back <see cref="DateTimeKind.Unspecified"/>;
/// this marks them UTC again so comparisons and serialisation never shift by the local offset.
/// </summary>
internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    value => value.Kind == DateTimeKind.Utc ? value : value.ToUniversalTime(),
    value => DateTime.SpecifyKind(value, DateTimeKind.Utc));

internal sealed class NullableUtcDateTimeConverter() : ValueConverter<DateTime?, DateTime?>(
    value => value.HasValue ? (value.Value.Kind == DateTimeKind.Utc ? value : value.Value.ToUniversalTime()) : value,
    value => value.HasValue ? DateTime.SpecifyKind(value.Value, DateTimeKind.Utc) : value);
