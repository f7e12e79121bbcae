using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NSwag.CodeGeneration.CSharp;
using NSwag.CodeGeneration.OperationNameGenerators;

namespace AuthServer.Tests.Contract;

/// <summary>
/// A C# client generated from the served document with NSwag and compiled in memory, as a user of the document
/// would make one, and called through reflection by operation ID and parameter name.
/// </summary>
internal sealed class GeneratedAdminClient
{
    private const string Namespace = "Generated.AuthServerAdmin";
    private readonly Assembly _assembly;
    private readonly object _client;

    private GeneratedAdminClient(Assembly assembly, HttpClient http)
    {
        _assembly = assembly;
        _client = Activator.CreateInstance(Type("AdminClient"), http)!;
    }

    public static string GenerateCode(string openApiJson)
    {
        var document = NSwag.OpenApiDocument.FromJsonAsync(openApiJson).GetAwaiter().GetResult();
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = "AdminClient",
            UseBaseUrl = false, // the HttpClient's BaseAddress
            OperationNameGenerator = new SingleClientFromOperationIdOperationNameGenerator(),
        };
        settings.CSharpGeneratorSettings.Namespace = Namespace;
        settings.CSharpGeneratorSettings.JsonLibrary = NJsonSchema.CodeGeneration.CSharp.CSharpJsonLibrary.SystemTextJson;
        return new CSharpClientGenerator(document, settings).GenerateFile();
    }

    public static GeneratedAdminClient Compile(string code, HttpClient http)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create("GeneratedAuthServerAdminClient", [CSharpSyntaxTree.ParseText(code)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(10).Select(d => d.ToString());
        Assert.True(emitted.Success, "The generated client does not compile:\n" + string.Join("\n", errors));
        return new GeneratedAdminClient(Assembly.Load(image.ToArray()), http);
    }

    public Type Type(string name) => _assembly.GetType($"{Namespace}.{name}") ?? throw new InvalidOperationException($"No generated type {name}.");

    /// <summary>A generated model with these properties set.</summary>
    public object Model(string name, IReadOnlyDictionary<string, object?> properties)
    {
        var type = Type(name);
        var model = Activator.CreateInstance(type)!;
        foreach (var (property, value) in properties)
        {
            (type.GetProperty(property) ?? throw new InvalidOperationException($"{name} has no {property}")).SetValue(model, value);
        }

        return model;
    }

    /// <summary>Calls the method generated for <paramref name="operationId"/>; arguments by parameter name, the rest null.</summary>
    public async Task<object?> CallAsync(string operationId, IReadOnlyDictionary<string, object?> arguments)
    {
        var method = _client.GetType().GetMethods().Where(m => m.Name == operationId + "Async").MaxBy(m => m.GetParameters().Length)
            ?? throw new InvalidOperationException($"No generated method for {operationId}.");
        var values = method.GetParameters().Select(p => arguments.TryGetValue(p.Name!, out var value) ? value
            : p.ParameterType == typeof(CancellationToken) ? CancellationToken.None
            : null).ToArray();
        var task = (Task)method.Invoke(_client, values)!;
        await task;
        return task.GetType().GetProperty("Result")?.GetValue(task);
    }

    public static object? Get(object? model, string property) =>
        model?.GetType().GetProperty(property)?.GetValue(model) ?? throw new InvalidOperationException($"No {property} on {model?.GetType().Name}.");
}
