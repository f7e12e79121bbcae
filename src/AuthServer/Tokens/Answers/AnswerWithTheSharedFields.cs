using AuthServer.Tokens.Requests;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Tokens.Answers;

/// <summary>
/// When OpenIddict's pipeline answers a request successfully, the answer's fields are replaced by the ones the
/// fast path writes (<see cref="TokenAnswer"/>, <see cref="IntrospectionAnswer"/>), so that the two paths cannot
/// answer differently. Errors stay OpenIddict's; their codes are noted for the metrics.
/// </summary>
public sealed class AnswerWithTheSharedFields(TimeProvider time) :
    IOpenIddictServerHandler<ApplyTokenResponseContext>,
    IOpenIddictServerHandler<ApplyIntrospectionResponseContext>
{
    public static OpenIddictServerHandlerDescriptor TokenDescriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseSingletonHandler<AnswerWithTheSharedFields>()
            .SetOrder(OpenIddictServerAspNetCoreHandlers.AttachHttpResponseCode<ApplyTokenResponseContext>.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public static OpenIddictServerHandlerDescriptor IntrospectionDescriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyIntrospectionResponseContext>()
            .UseSingletonHandler<AnswerWithTheSharedFields>()
            .SetOrder(OpenIddictServerAspNetCoreHandlers.AttachHttpResponseCode<ApplyIntrospectionResponseContext>.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        var decisions = OAuthRequestDecisions.Of(context.Transaction);
        decisions.Error = context.Response.Error;
        if (context.Response.Error is null && context.Response.AccessToken is { } token && decisions.Plan?.Plan is { } plan)
        {
            Replace(context.Response, TokenAnswer.Of(token, plan, time.GetUtcNow()));
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask HandleAsync(ApplyIntrospectionResponseContext context)
    {
        var decisions = OAuthRequestDecisions.Of(context.Transaction);
        decisions.Error = context.Response.Error;
        if (context.Response.Error is null && decisions.Introspection is { Outcome: IntrospectionOutcome.Active } verdict)
        {
            if (verdict.Token is { } token)
            {
                Replace(context.Response, IntrospectionAnswer.Of(token));
            }
            else if (verdict.Key is { } key)
            {
                Replace(context.Response, IntrospectionAnswer.Of(key));
            }
        }

        OAuthJson.NeverCache(OAuthRequestDecisions.HttpContextOf(context.Transaction).Response);
        return ValueTask.CompletedTask;
    }

    private static void Replace(OpenIddictResponse response, IEnumerable<KeyValuePair<string, OpenIddictParameter>> fields)
    {
        foreach (var name in response.GetParameters().Keys.ToList())
        {
            response.RemoveParameter(name);
        }

        foreach (var (name, value) in fields)
        {
            response.SetParameter(name, value);
        }
    }
}
