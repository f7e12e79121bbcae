using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AuthServer.Tests.Infrastructure;

/// <summary>
/// Makes the database fail in the middle of a request: the next SQL command that matches is not sent, and fails as a
/// lost connection would (an EF Core interceptor). Everything the request sent before it has reached the database.
/// </summary>
public sealed class DatabaseFaults : DbCommandInterceptor
{
    private Func<string, bool>? _failNext;

    /// <summary>The next command whose SQL matches <paramref name="sql"/> fails; the ones after it run again.</summary>
    public void FailNext(Func<string, bool> sql) => _failNext = sql;

    public bool Pending => Volatile.Read(ref _failNext) is not null;

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
        Check(command, result);

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
        Check(command, result);

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default) =>
        Check(command, result);

    private ValueTask<T> Check<T>(DbCommand command, T result)
    {
        var failNext = Volatile.Read(ref _failNext);
        if (failNext is not null && failNext(command.CommandText) && Interlocked.CompareExchange(ref _failNext, null, failNext) == failNext)
        {
            throw new InjectedDatabaseFailure();
        }

        return ValueTask.FromResult(result);
    }

    private sealed class InjectedDatabaseFailure() : DbException("The connection to the database was lost (a test's injected failure).");
}
