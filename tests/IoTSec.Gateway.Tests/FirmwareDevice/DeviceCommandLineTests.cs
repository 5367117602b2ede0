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
        var dotnet = RequiredComponent.Executable("dotnet", "the .NET SDK (https://dot.net)");
        var flash = TempDirectory.Create("iotsec-fw-unprovisioned");
        try
        {
            var start = new ProcessStartInfo(dotnet)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "iotsec-device.dll"));
            start.ArgumentList.Add("run");
            start.ArgumentList.Add("--flash");
            start.ArgumentList.Add(flash);
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            var message = await error;
            Assert.AreEqual(2, process.ExitCode, message + await output);
            Assert.Contains("is not provisioned", message);
            Assert.Contains("--console", message);
            Assert.Contains("socat", message);
            Assert.Contains("docs/firmware/console.md", message);
        }
        finally
        {
            TempDirectory.Delete(flash);
        }
    }
}
