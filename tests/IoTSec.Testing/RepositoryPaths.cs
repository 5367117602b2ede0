using System;
using System.IO;

namespace IoTSec.Testing;

/// <summary>Locates files of the repository from a running test.</summary>
public static class RepositoryPaths
{
    /// <summary>The repository root: the nearest ancestor of the test binary holding IoTSec.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A path under the repository root.</summary>
    public static string Combine(params string[] parts)
    {
        var all = new string[parts.Length + 1];
        all[0] = Root;
        Array.Copy(parts, 0, all, 1, parts.Length);
        return Path.Combine(all);
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IoTSec.sln")))
            {
                return dir.FullName;
            }

            dir = dir.Parent;
        }

        throw new InvalidOperationException("IoTSec.sln not found above " + AppContext.BaseDirectory);
    }
}
