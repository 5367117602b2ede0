using System;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using IoTSec.Firmware.Host.Platform;
using IoTSec.Firmware.Http;
using IoTSec.Firmware.Platform;
using IoTSec.Firmware.Tests.Enrolment;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Firmware.Tests.Http;

/// <summary>Range downloads and the desktop TLS layer's server checks, against a real Kestrel server over TLS.</summary>
[TestClass]
public sealed class HttpFirmwareSourceTests
{
    [TestMethod]
    public async Task AnImageIsReadInRangesAndAReadResumesAtAnyPosition()
    {
        await using var server = await DownloadServer.StartAsync(10_000);
        var source = new HttpFirmwareSource(Client(server, "127.0.0.1", server.Root));

        // As the OTA writer does: fixed-size chunks, each written where the last one ended.
        var copy = new byte[server.Image.Length];
        var chunkBuffer = new byte[1500];
        long position = 0;
        int reads = 0;
        int read;
        while ((read = source.ReadRange("/ota/image", position, chunkBuffer, 0, chunkBuffer.Length)) > 0)
        {
            Array.Copy(chunkBuffer, 0, copy, position, read);
            position += read;
            reads++;
        }

        CollectionAssert.AreEqual(server.Image, copy);
        Assert.AreEqual(7, reads, "10,000 bytes in chunks of 1,500");

        // Resume in the middle, and a read that runs past the end returns the tail only.
        var chunk = new byte[300];
        Assert.AreEqual(300, source.ReadRange("/ota/image", 4321, chunk, 0, 300));
        CollectionAssert.AreEqual(server.Image[4321..4621], chunk);
        Assert.AreEqual(100, source.ReadRange("/ota/image", 9900, chunk, 0, 300));
        CollectionAssert.AreEqual(server.Image[9900..], chunk[..100]);
        Assert.AreEqual(0, source.ReadRange("/ota/image", 10_000, chunk, 0, 300), "416 at the end means done");
    }

    [TestMethod]
    public async Task AServerThatIgnoresRangeIsRefusedUnlessTheWholeImageFitsFromByteZero()
    {
        await using var server = await DownloadServer.StartAsync(2_000);
        var source = new HttpFirmwareSource(Client(server, "127.0.0.1", server.Root));
        var buffer = new byte[4_000];

        var resumed = Assert.ThrowsExactly<NetworkException>(() => source.ReadRange("/plain/image", 100, buffer, 0, 1_000));
        Assert.AreEqual(HttpRejection.BodyTooLarge, ((HttpResponseRejectedException)resumed.InnerException!).Reason, "the whole image is more than the chunk asked for");

        var whole = source.ReadRange("/plain/image", 0, buffer, 0, 4_000);
        Assert.AreEqual(2_000, whole);
        CollectionAssert.AreEqual(server.Image, buffer[..2_000]);

        var mismatch = Assert.ThrowsExactly<NetworkException>(() => source.ReadRange("/plain/image", 100, buffer, 0, 4_000));
        Assert.AreEqual(HttpRejection.RangeMismatch, ((HttpResponseRejectedException)mismatch.InnerException!).Reason, "200 for a range from byte 100");

        var missing = Assert.ThrowsExactly<NetworkException>(() => source.ReadRange("/ota/missing", 0, buffer, 0, 100));
        StringAssert.Contains(missing.Message, "HTTP 404");
    }

    [TestMethod]
    public async Task TheServerMustChainToTheProvisionedRootAndMatchTheHostName()
    {
        await using var server = await DownloadServer.StartAsync(100);
        var buffer = new byte[100];

        // Another root: the server's chain does not end at the device's anchor.
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherRoot = EstGateway.SelfSignedCa("Another Root", otherKey);
        var wrongRoot = Assert.ThrowsExactly<NetworkException>(() => new HttpFirmwareSource(Client(server, "127.0.0.1", otherRoot)).ReadRange("/ota/image", 0, buffer, 0, 100));
        Assert.IsInstanceOfType<AuthenticationException>(wrongRoot.InnerException);

        // The right root, but a name the certificate does not carry (it names 127.0.0.1 only).
        var wrongName = Assert.ThrowsExactly<NetworkException>(() => new HttpFirmwareSource(Client(server, "localhost", server.Root)).ReadRange("/ota/image", 0, buffer, 0, 100));
        Assert.IsInstanceOfType<AuthenticationException>(wrongName.InnerException);

        // The system trust store plays no part: a root the machine might trust is not the anchor.
        Assert.AreEqual(100, new HttpFirmwareSource(Client(server, "127.0.0.1", server.Root)).ReadRange("/ota/image", 0, buffer, 0, 100));
    }

    private static Http11Client Client(DownloadServer server, string host, X509Certificate2 anchor)
    {
        using var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var device = EstGateway.IssueBirth(server.Root, server.RootKey, "dev-download");
        var credentials = new TlsClientCredentials(device.RawData, device.GetECDsaPrivateKey()!.ExportPkcs8PrivateKey(), anchor.RawData);
        return new Http11Client(new SslStreamChannelFactory(), host, server.Port, credentials, 20_000, HttpLimits.Default);
    }
}
