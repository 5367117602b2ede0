using System;
using IoTSec.Protocol.Provisioning;

namespace IoTSec.Fuzz.Targets;

/// <summary>
/// The device's decoding of provisioning requests arriving over the serial console. Input:
/// first byte = command code, the rest = the request's CBOR payload. Any request the
/// decoder accepts must have passed its item checks; anything else is refused with
/// <see cref="ProvisioningPayloadException"/>.
/// </summary>
public sealed class ConsolePayloadFuzzTarget : FuzzTarget
{
    public override string Name => "console-payload";

    protected override void Decode(byte[] input)
    {
        if (input.Length == 0)
        {
            return;
        }

        var payload = new byte[input.Length - 1];
        Array.Copy(input, 1, payload, 0, payload.Length);
        _ = ProvisioningPayloads.DecodeRequest(input[0], payload);
    }

    protected override bool IsExpectedRejection(Exception exception) => exception is ProvisioningPayloadException;
}
