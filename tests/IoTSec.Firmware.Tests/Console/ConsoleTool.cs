using System;
using IoTSec.Firmware.Host.Platform;
using IoTSec.Protocol.Console;
using IoTSec.Protocol.Provisioning;
using IoTSec.SerialConsole;

namespace IoTSec.Firmware.Tests.Console;

/// <summary>The provisioning tool's end: the protocol's typed client over System.IO.Ports.</summary>
internal sealed class ConsoleTool : IDisposable
{
    private readonly SerialPortChannel _port;

    public ConsoleTool(string portPath, int responseTimeoutMs = 1000, int retryCount = ConsoleClientSession.DefaultRetryCount)
    {
        _port = new SerialPortChannel(portPath);
        Session = new ConsoleClientSession(_port) { ResponseTimeoutMs = responseTimeoutMs, RetryCount = retryCount };
        Client = new ProvisioningConsoleClient(Session);
    }

    public ConsoleClientSession Session { get; }

    public ProvisioningConsoleClient Client { get; }

    /// <summary>Stages the four items and checks the device's read-back against what was sent.</summary>
    public void Stage(ProvisioningSet set)
    {
        byte[] certificate = Client.WriteBirthCertificate(set.Certificate);
        byte[] key = Client.WriteBirthKey(set.Key);
        byte[] anchors = Client.WriteTrustAnchors(set.Anchors);
        byte[] configuration = Client.WriteConfiguration(set.Configuration);
        StagedDigests digests = Client.ReadBack();
        if (!(digests.Matches(StagedItems.BirthCertificate, certificate) && digests.Matches(StagedItems.BirthKey, key)
            && digests.Matches(StagedItems.TrustAnchors, anchors) && digests.Matches(StagedItems.Configuration, configuration)))
        {
            throw new InvalidOperationException("the device's read-back differs from what was sent");
        }
    }

    public void Dispose() => _port.Dispose();
}
