using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests.Recipes;

/// <summary>The README shows the recipes exactly as the files that <see cref="ServiceRecipeTests"/> runs.</summary>
public sealed class ReadmeRecipeTests
{
    [Theory]
    [InlineData("AuthServerTokenHandler.cs", "csharp")]
    [InlineData("client.py", "python")]
    [InlineData("client.mjs", "javascript")]
    public void The_readme_shows_the_recipe_file_as_tested(string file, string language)
    {
        var readme = File.ReadAllText(RepositoryFiles.PathOf("README.md")).ReplaceLineEndings("\n");
        var recipe = File.ReadAllText(RepositoryFiles.PathOf("docs", "recipes", file)).ReplaceLineEndings("\n");

        Assert.Contains($"```{language}\n{recipe}```\n", readme);
    }
}
