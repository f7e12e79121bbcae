using AuthServer.Accounts;
using AuthServer.Users;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace AuthServer.Console;

/// <summary>
/// The one access rule of the console's account pages (<see cref="AccountPageModel"/>): a person who is not a member
/// of the account in the route (nor an operator) gets 404 (its existence is not revealed); members may read (GET); only
/// administrators may change anything (every POST handler), whatever form was posted.
/// </summary>
internal sealed class ConsoleAccessFilter(MembershipService memberships, OperatorService operators, AccountService accounts, ConsoleActor actor) : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (context.HandlerInstance is not AccountPageModel page)
        {
            await next();
            return;
        }

        var accountId = context.RouteData.Values["accountId"] as string ?? "";
        var cancellationToken = context.HttpContext.RequestAborted;
        var userId = actor.UserId(context.HttpContext.User);
        var role = await memberships.RoleAsync(userId, accountId, cancellationToken)
            ?? (await operators.IsOperatorAsync(userId) ? MemberRole.Administrator : null);
        if (role is null)
        {
            context.Result = new NotFoundResult();
            return;
        }

        if (!HttpMethods.IsGet(context.HttpContext.Request.Method) && !HttpMethods.IsHead(context.HttpContext.Request.Method) && role != MemberRole.Administrator)
        {
            context.Result = new StatusCodeResult(StatusCodes.Status403Forbidden);
            return;
        }

        try
        {
            page.Account = await accounts.GetAsync(accountId, cancellationToken);
        }
        catch (Failures.NotFoundException)
        {
            context.Result = new NotFoundResult(); // an operator asking for an account that does not exist
            return;
        }

        page.Role = role.Value;
        page.Actor = actor.For(context.HttpContext.User);
        await next();
    }
}
