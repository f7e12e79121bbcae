using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AuthServer.Admin;

/// <summary>
/// The refusals each operation can answer, as <see cref="AdminProblems"/> writes them: RFC 9457 problem details
/// (<c>application/problem+json</c>). What every admin call can meet (401, 403, 503) comes from the API's
/// authentication and database; 400 and 404 from what the operation takes (a body, query, an ID in the route,
/// an account); 409 and 422 from what the operation does, listed in <see cref="Specific"/>.
/// </summary>
internal sealed class AdminOpenApiProblems : IOpenApiOperationTransformer
{
    public const string ProblemSchema = "ProblemDetails";
    public const string ValidationProblemSchema = "ValidationProblemDetails";
    private const string ProblemMediaType = "application/problem+json";

    /// <summary>Refusals only some operations give, by operation ID.</summary>
    private static readonly Dictionary<string, (int Status, string Why)[]> Specific = new(StringComparer.Ordinal)
    {
        ["CreateKey"] =
        [
            (409, "The account is at its active-key limit for the key's environment (each environment is counted apart): " +
                "`limit`, `activeKeys` and `environment` say where it stands."),
            (422, "The Idempotency-Key was used before with a different body."),
        ],
        ["UpdateKey"] = [(409, "The key is revoked, or never expires and so cannot be extended.")],
        ["RevokeKey"] = [(409, "The key is already revoked.")],
        ["RollKey"] = [(409, "The key is revoked.")],
        ["EndKeyRollGrace"] = [(409, "The key is revoked, or no replaced secret is in its grace.")],
        ["CreateScope"] = [(409, "A scope of that name already exists.")],
        ["CreateResourceServer"] = [(409, "A resource server of that name already exists.")],
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document ?? throw new InvalidOperationException("No document to hold the problem schemas.");
        AddSchemas(document);
        var description = context.Description;
        var access = AdminAccessScopes.DeclaredBy(description.ActionDescriptor.EndpointMetadata);
        operation.Responses ??= [];

        if (description.ParameterDescriptions.Any(p => p.Source == BindingSource.Body || p.Source == BindingSource.Query || p.Source == BindingSource.Path || p.Source == BindingSource.Header))
        {
            operation.Responses["400"] = Problem(document, ValidationProblemSchema,
                "The request is invalid: `errors` names each field (or `body`) that is wrong and says why.");
        }

        operation.Responses["401"] = Problem(document, ProblemSchema,
            "No access token, or one that is expired, not for this API (audience `authserver-admin`) or of a revoked key.",
            ("WWW-Authenticate", "Bearer, with the error when the token was refused."));
        operation.Responses["403"] = Problem(document, ProblemSchema,
            "The token lacks the scope this operation needs; `requiredScope` and the `WWW-Authenticate` header name it.",
            ("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"…\"."));

        if (access is AdminAccess.ReadAccount or AdminAccess.ManageAccount || description.ParameterDescriptions.Any(p => p.Source == BindingSource.Path))
        {
            operation.Responses["404"] = Problem(document, ProblemSchema,
                "No such account, key, scope or resource server — or one of another account, whose existence is not revealed.");
        }

        foreach (var (status, why) in Specific.GetValueOrDefault(operation.OperationId ?? "", []))
        {
            operation.Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = Problem(document, ProblemSchema, why);
        }

        operation.Responses["503"] = Problem(document, ProblemSchema,
            "The database cannot be reached right now; nothing was changed. Retry after the `Retry-After` seconds.",
            ("Retry-After", "Seconds to wait before retrying."));
        return Task.CompletedTask;
    }

    private static OpenApiResponse Problem(OpenApiDocument document, string schema, string description, params (string Name, string Description)[] headers) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            [ProblemMediaType] = new() { Schema = new OpenApiSchemaReference(schema, document) },
        },
        Headers = headers.Length == 0 ? null : headers.ToDictionary(h => h.Name, h => (IOpenApiHeader)Header(h.Description)),
    };

    private static OpenApiHeader Header(string description) =>
        new() { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };

    private static void AddSchemas(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas.TryAdd(ProblemSchema, new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "RFC 9457 problem details. Some problems carry more members (e.g. `limit` and `activeKeys`, `requiredScope`).",
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A URI reference naming the kind of problem." },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A short summary of the kind of problem." },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status code." },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What went wrong with this request, for a person." },
                ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A URI reference naming this occurrence." },
            },
            AdditionalPropertiesAllowed = true,
        });
        document.Components.Schemas.TryAdd(ValidationProblemSchema, new OpenApiSchema
        {
            Description = "Problem details of a 400: `errors` maps each field that is wrong (or `body`) to what is wrong with it.",
            AllOf =
            [
                new OpenApiSchemaReference(ProblemSchema, document),
                new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Required = new HashSet<string> { "errors" },
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["errors"] = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Object,
                            AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                        },
                    },
                },
            ],
        });
    }
}
