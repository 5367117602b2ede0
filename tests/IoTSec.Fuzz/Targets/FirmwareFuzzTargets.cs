using IoTSec.Firmware.Enrolment;
using IoTSec.Firmware.Http;

namespace IoTSec.Fuzz.Targets;

/// <summary>
/// The firmware's parsers of what comes over the network from the gateway (or from whoever
/// answers in its place): the HTTP/1.1 response reader and the EST serverkeygen body
/// (docs/firmware/enrolment.md).
/// </summary>
public static class FirmwareFuzzTargets
{
    /// <summary>The Content-Type the serverkeygen seeds were made with.</summary>
    public const string SeedServerKeyGenContentType = "multipart/mixed; boundary=est-serverkeygen_seed";

    public static FuzzTarget[] All { get; } =
    [
        // Small limits, so mutations reach every limit check.
        new DecoderFuzzTarget("http-response", input => HttpResponseReader.Parse(input, new HttpLimits(128, 8, 512, 256)), typeof(HttpResponseRejectedException)),
        new DecoderFuzzTarget("est-serverkeygen", input => ServerKeyGenResponse.Parse(SeedServerKeyGenContentType, input), typeof(EnrolmentException)),
    ];
}
