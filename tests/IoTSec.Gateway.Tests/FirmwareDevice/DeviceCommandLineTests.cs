using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using IoTSec.Gateway.Tests.Pki;
using IoTSec.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.FirmwareDevice;

/// <summary><c>iotsec-device</c> as a user runs it: its own process.</summary>
[TestClass]
public sealed class DeviceCommandLineTests
{
    [TestMethod]
    public async Task RunOnAnUnprovisionedFlashExitsNonZeroAndSaysHowToProvisionOverTheConsole()
    {
        var flash = TempDirectory.Create("iotsec-fw-unprovisioned");
        try
        {
            var (exitCode, output, error) = await RunAsync("run", "--flash", flash);
            Assert.AreEqual(2, exitCode, error + output);
            Assert.Contains("is not provisioned", error);
            Assert.Contains("--console", error);
            Assert.Contains("socat", error);
            Assert.Contains("docs/firmware/console.md", error);
        }
        finally
        {
            TempDirectory.Delete(flash);
        }
    }

    [TestMethod]
    public async Task AFleetWithAnUnprovisionedDeviceRefusesToStartAndNamesIt()
    {
        var root = TempDirectory.Create("iotsec-fw-fleet-empty");
        try
        {
            var (exitCode, output, error) = await RunAsync("fleet", "--count", "3", "--flash-root", root);
            Assert.AreEqual(2, exitCode, error + output);
            Assert.Contains("3 of 3 devices are not provisioned", error);
            Assert.Contains(Path.Combine(root, "device-000"), error);
        }
        finally
        {
            TempDirectory.Delete(root);
        }
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments)
    {
        var dotnet = RequiredComponent.Executable("dotnet", "the .NET SDK (https://dot.net)");
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "iotsec-device.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (process.ExitCode, await output, await error);
    }
}
