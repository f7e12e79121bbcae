using AuthServer.Text;

namespace AuthServer.Admin;

/// <summary>
/// Every ID in an admin route follows the <see cref="TextRule"/>, before it reaches a handler or the database: a
/// NUL decoded from <c>%00</c> would otherwise make PostgreSQL fail the query, which looks like an outage.
/// </summary>
public sealed class AdminRouteValues(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        foreach (var (name, value) in context.Request.RouteValues)
        {
            TextRule.Require(name, value as string);
        }

        return next(context);
    }
}
