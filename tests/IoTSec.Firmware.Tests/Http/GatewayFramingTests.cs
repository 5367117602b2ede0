using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using IoTSec.Firmware.Host.Platform;
using IoTSec.Firmware.Http;
using IoTSec.Firmware.Platform;
using IoTSec.Firmware.Tests.Enrolment;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Firmware.Tests.Http;

/// <summary>
/// The client's framing paths against the gateway's real EST service: Kestrel streams the
/// serverkeygen answer with chunked transfer coding and sends fixed-length answers with
/// Content-Length, so both parsers run against the server devices actually talk to.
/// </summary>
[TestClass]
public sealed class GatewayFramingTests
{
    [TestMethod]
    public async Task ChunkedAndContentLengthAnswersOfTheGatewayAreBothRead()
    {
        await using var gateway = await EstGateway.StartAsync();
        using var birth = gateway.Register("dev-framing");
        var credentials = new TlsClientCredentials(birth.RawData, birth.GetECDsaPrivateKey()!.ExportPkcs8PrivateKey(), gateway.Root.RawData);
        var client = new Http11Client(new SslStreamChannelFactory(), "127.0.0.1", gateway.Port, credentials, 20_000, HttpLimits.Default);

        var keygen = client.Send(new HttpRequest("POST", "/.well-known/est/serverkeygen"));
        Assert.AreEqual(200, keygen.StatusCode);
        Assert.AreEqual("chunked", keygen.GetHeader("transfer-encoding"));
        Assert.IsNull(keygen.GetHeader("content-length"));
        StringAssert.StartsWith(keygen.GetHeader("content-type"), "multipart/mixed");
        Assert.IsTrue(keygen.Body.Length > 900, $"the whole multipart body: {keygen.Body.Length} bytes");

        var cacerts = client.Send(new HttpRequest("GET", "/.well-known/est/cacerts"));
        Assert.AreEqual(200, cacerts.StatusCode);

        // A birth certificate asking for a heartbeat key: a text/plain refusal with a code word.
        var refused = client.Send(new HttpRequest("POST", "/.well-known/iotsec/v1/heartbeat-key"));
        Assert.AreEqual(403, refused.StatusCode);
        StringAssert.StartsWith(System.Text.Encoding.ASCII.GetString(refused.Body), "operational-certificate-required:");
        Assert.AreEqual(refused.Body.Length.ToString(CultureInfo.InvariantCulture), refused.GetHeader("content-length"), "a fixed-length answer");
    }
}
