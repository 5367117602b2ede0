using IoTSec.Protocol.Cose;
using IoTSec.Protocol.Manifest;
using IoTSec.Protocol.Rsa;

namespace IoTSec.Fuzz.Targets;

/// <summary>
/// The OTA path's decoders (docs/protocols/ota-manifest.md): the COSE_Sign1 envelope, the
/// manifest and trust-anchor-update payloads behind it, and the device's stored OTA key.
/// A mutated envelope almost never carries a valid signature, so the payload decoders are
/// also fed the envelope's payload directly, reaching the parsers a signer controls.
/// </summary>
public static class ManifestFuzzTargets
{
    public static FuzzTarget[] All { get; } =
    [
        new DecoderFuzzTarget("manifest", input =>
        {
            var envelope = CoseSign1.Decode(input);
            try
            {
                OtaManifest.Decode(envelope.GetPayload());
            }
            catch (ManifestRejectedException)
            {
            }
        }, typeof(CoseRejectedException)),
        new DecoderFuzzTarget("anchor-update", input =>
        {
            var envelope = CoseSign1.Decode(input);
            try
            {
                TrustAnchorUpdate.Decode(envelope.GetPayload());
            }
            catch (AnchorUpdateRejectedException)
            {
            }
        }, typeof(CoseRejectedException)),
        new DecoderFuzzTarget("rsa-cose-key", input => RsaCoseKey.Decode(input), typeof(RsaKeyException)),
    ];
}
