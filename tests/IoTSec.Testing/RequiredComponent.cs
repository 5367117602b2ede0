using System;
using System.IO;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Testing;

/// <summary>
/// Guards for tests that need a real component of this machine (a software TPM, a broker,
/// a pseudo-terminal, a network namespace, root). On a developer's machine a missing
/// component makes the test inconclusive with the install hint; under CI (CI=true) it
/// fails, because a CI run that silently skipped the real-component tests would prove
/// nothing.
/// </summary>
public static class RequiredComponent
{
    /// <summary>True when running under CI (environment variable CI=true).</summary>
    public static bool IsCi =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Requires an executable on PATH; returns its full path.</summary>
    public static string Executable(string name, string debianPackage)
    {
        var found = FindOnPath(name);
        if (found is null)
        {
            Missing($"'{name}' is not on PATH (Debian package {debianPackage}; ./build.sh test installs it)");
        }

        return found!;
    }

    /// <summary>Requires the test process to run as root (network namespaces, nftables).</summary>
    public static void Root()
    {
        if (!string.Equals(Environment.UserName, "root", StringComparison.Ordinal))
        {
            Missing("this test needs root (network namespaces, nftables)");
        }
    }

    /// <summary>Stops the test: a failure under CI, inconclusive elsewhere.</summary>
    public static void Missing(string what)
    {
        if (IsCi)
        {
            Assert.Fail("required component missing under CI: " + what);
        }

        Assert.Inconclusive("required component missing: " + what);
    }

    private static string? FindOnPath(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
