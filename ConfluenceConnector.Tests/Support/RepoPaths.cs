using System.Runtime.CompilerServices;

namespace ConfluenceConnector.Tests.Support;

/// <summary>Where the repository is, for tests that read its files (infra templates, build outputs).</summary>
internal static class RepoPaths
{
    /// <summary>The folder holding ConfluenceConnector.sln above the test binaries or above this source file.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? string.Empty })
        {
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ConfluenceConnector.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException($"No ConfluenceConnector.sln above {AppContext.BaseDirectory} or {sourceFile}");
    }
}
