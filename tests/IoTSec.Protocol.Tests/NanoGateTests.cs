using System;
using System.Diagnostics;
using System.IO;
using IoTSec.NanoGate;
using IoTSec.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Protocol.Tests;

/// <summary>
/// The portability gate: the portable sources must build against the nanoFramework
/// mscorlib, and a generic definition slipped into them must fail that build.
/// </summary>
[TestClass]
public sealed class NanoGateTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public void Gate_PassesThePortableSources_AndFailsWhenAGenericTypeIsAdded()
    {
        var dotnet = RequiredComponent.Executable("dotnet", "the .NET SDK");
        var work = Directory.CreateTempSubdirectory("nanogate-");
        try
        {
            var project = RepositoryPaths.Combine("shared", "IoTSec.Protocol.Nano", "IoTSec.Protocol.Nano.csproj");
            var artifacts = Path.Combine(work.FullName, "artifacts");

            var clean = Build(dotnet, project, artifacts, probe: null);
            Assert.AreEqual(0, clean.ExitCode, "the portable sources must pass the gate:\n" + clean.Output);

            var probe = Path.Combine(work.FullName, "GenericProbe.cs");
            File.WriteAllText(probe, "namespace IoTSec.Protocol { internal sealed class Holder<T> { internal T Value; internal Holder(T value) { Value = value; } } }");
            var withGeneric = Build(dotnet, project, artifacts, probe);
            Assert.AreNotEqual(0, withGeneric.ExitCode, "a generic type must fail the gate:\n" + withGeneric.Output);
            StringAssert.Contains(withGeneric.Output, "NANOGATE1");
            StringAssert.Contains(withGeneric.Output, "IoTSec.Protocol.Holder`1");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [TestMethod]
    public void Scanner_ReportsGenericTypesAndMethods_InAnAssembly()
    {
        // This test assembly itself is full of generics (MSTest, LINQ in the SDK): the
        // scanner must see them, and must see none in the nano-built portable assembly.
        var violations = NanoCompatibilityScanner.Scan(typeof(NanoGateTests).Assembly.Location);
        Assert.IsNotEmpty(violations);
    }

    private (int ExitCode, string Output) Build(string dotnet, string project, string artifacts, string? probe)
    {
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "build", project, "-nologo", "-p:ArtifactsPath=" + artifacts, "-p:NanoGateProbeSource=" + (probe ?? string.Empty) })
        {
            start.ArgumentList.Add(arg);
        }

        // The test host sets MSBuild variables for its own process; a nested build must not inherit them.
        start.Environment.Remove("MSBuildExtensionsPath");
        start.Environment.Remove("MSBUILD_EXE_PATH");
        start.Environment.Remove("MSBuildSDKsPath");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.CancellationToken);
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
