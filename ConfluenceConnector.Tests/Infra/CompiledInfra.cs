using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ConfluenceConnector.Tests.Support;

namespace ConfluenceConnector.Tests.Infra;

/// <summary>
/// The infrastructure templates compiled once per test run by <c>infra/build.sh</c> (which restores
/// the Bicep CLI from NuGet, compiles every Bicep file to ARM JSON and fails on any linter or
/// compiler warning), parsed with System.Text.Json.
/// </summary>
public sealed partial class CompiledInfra
{
    private static readonly Lazy<CompiledInfra> Compiled = new(Compile, LazyThreadSafetyMode.ExecutionAndPublication);

    private CompiledInfra(string repoRoot, string outputDir, string buildOutput)
    {
        RepoRoot = repoRoot;
        OutputDir = outputDir;
        BuildOutput = buildOutput;
        Main = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(outputDir, "main.json")))!;
        Parameters = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(outputDir, "main.parameters.json")))!;
    }

    /// <summary>Compiles on first use; later calls return the same result.</summary>
    public static CompiledInfra Instance => Compiled.Value;

    public string RepoRoot { get; }

    public string OutputDir { get; }

    /// <summary>Everything build.sh printed.</summary>
    public string BuildOutput { get; }

    /// <summary>infra/main.bicep as ARM JSON; modules are nested deployments with inline templates.</summary>
    public JsonObject Main { get; }

    /// <summary>infra/main.bicepparam as an ARM parameters file.</summary>
    public JsonObject Parameters { get; }

    /// <summary>Every resource of the deployment, nested module templates included, with the template that declares it.</summary>
    public IReadOnlyList<TemplateResource> AllResources => Flatten(Main).ToList();

    public IEnumerable<TemplateResource> OfType(string type) =>
        AllResources.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase));

    public TemplateResource Single(string type)
    {
        var matches = OfType(type).ToList();
        Assert.True(matches.Count == 1, $"expected exactly one {type}, found {matches.Count}");
        return matches[0];
    }

    /// <summary>The module deployment whose template declares a resource of the given type.</summary>
    public JsonObject DeploymentDeclaring(string type)
    {
        var matches = Resources(Main)
            .Where(r => (string?)r["type"] == "Microsoft.Resources/deployments")
            .Where(d => Resources(Template(d)).Any(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        Assert.True(matches.Count == 1, $"expected exactly one module declaring {type}, found {matches.Count}");
        return matches[0];
    }

    /// <summary>Replaces <c>variables('x')</c> and <c>variables('x').a.b</c> that hold strings by the quoted literal.</summary>
    public static string ResolveVariables(string expression, JsonObject template) =>
        VariableReference().Replace(expression, match =>
        {
            JsonNode? node = template["variables"]?[match.Groups["name"].Value];
            foreach (var segment in match.Groups["path"].Value.Split('.', StringSplitOptions.RemoveEmptyEntries))
            {
                node = node?[segment];
            }

            return node is JsonValue value && value.TryGetValue(out string? text) ? $"'{text}'" : match.Value;
        });

    public static IEnumerable<JsonObject> Resources(JsonObject template) =>
        template["resources"] switch
        {
            JsonArray array => array.OfType<JsonObject>(),
            JsonObject byName => byName.Select(kv => kv.Value).OfType<JsonObject>(), // languageVersion 2.0: symbolic names
            _ => [],
        };

    public static JsonObject Template(JsonObject deployment) => (JsonObject)deployment["properties"]!["template"]!;

    private static IEnumerable<TemplateResource> Flatten(JsonObject template)
    {
        foreach (var resource in Resources(template))
        {
            yield return new TemplateResource(resource, template);
            if ((string?)resource["type"] == "Microsoft.Resources/deployments" && resource["properties"]?["template"] is JsonObject nested)
            {
                foreach (var inner in Flatten(nested))
                {
                    yield return inner;
                }
            }
        }
    }

    private static CompiledInfra Compile()
    {
        var repoRoot = RepoPaths.Root;
        var outputDir = Path.Combine(Path.GetTempPath(), $"confluence-connector-infra-{Guid.NewGuid():N}");
        var buildScript = Path.Combine(repoRoot, "infra", "build.sh");

        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { buildScript, outputDir },
            WorkingDirectory = repoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // `dotnet test` hands MSBuild variables to the test host; they would steer build.sh's own
        // `dotnet restore` to this test run's MSBuild instead of the SDK's.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"infra/build.sh did not finish in 10 minutes:\n{output}");
        }

        process.WaitForExit(); // drains the redirected streams
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"infra/build.sh failed with exit code {process.ExitCode}:\n{output}");
        }

        return new CompiledInfra(repoRoot, outputDir, output.ToString());
    }

    [GeneratedRegex(@"variables\('(?<name>\w+)'\)(?<path>(\.\w+)*)")]
    private static partial Regex VariableReference();
}

/// <summary>A resource of a compiled template and the template (module) that declares it.</summary>
public sealed record TemplateResource(JsonObject Json, JsonObject DeclaringTemplate)
{
    public string Type => (string)Json["type"]!;

    public JsonNode? Properties => Json["properties"];

    /// <summary>An expression or literal of this resource with string variables of its template inlined.</summary>
    public string Resolve(string? expression) => CompiledInfra.ResolveVariables(expression ?? string.Empty, DeclaringTemplate);
}
