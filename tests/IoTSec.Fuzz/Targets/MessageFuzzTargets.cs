using IoTSec.Protocol.Heartbeat;
using IoTSec.Protocol.Topics;

namespace IoTSec.Fuzz.Targets;

/// <summary>
/// The device↔gateway messages (docs/protocols/heartbeat.md, topics.md). MAC'd messages are
/// decoded with the fixed key the seeds were made with (00 01 … 1f), so mutations of a
/// valid seed reach the parser behind the MAC check as well as the check itself.
/// </summary>
public static class MessageFuzzTargets
{
    /// <summary>The key every MAC'd seed in the corpus uses.</summary>
    public static byte[] SeedKey { get; } = CreateSeedKey();

    public static FuzzTarget[] All { get; } =
    [
        new DecoderFuzzTarget("heartbeat", input =>
        {
            try
            {
                HeartbeatDecoder.Decode(input, SeedKey);
            }
            finally
            {
                // The body parser behind the MAC, reached directly.
                try
                {
                    HeartbeatDecoder.ParseBody(input, 0, input.Length);
                }
                catch (HeartbeatRejectedException)
                {
                }
            }
        }, typeof(HeartbeatRejectedException)),
        new DecoderFuzzTarget("hb-ack", input => HeartbeatAck.Decode(input, SeedKey), typeof(MessageRejectedException)),
        new DecoderFuzzTarget("command", input => DeviceCommand.Decode(input, SeedKey), typeof(MessageRejectedException)),
        new DecoderFuzzTarget("ota-offer", input => OtaOffer.Decode(input, SeedKey), typeof(MessageRejectedException)),
        new DecoderFuzzTarget("cmd-ack", input => CommandAck.Decode(input), typeof(MessageRejectedException)),
        new DecoderFuzzTarget("heartbeat-key", input => HeartbeatKeyResponse.Decode(input), typeof(HeartbeatKeyRejectedException)),
        new DecoderFuzzTarget("chain-state", input => HeartbeatChainVerifier.Deserialize(input), typeof(ChainStateRejectedException)),
    ];

    private static byte[] CreateSeedKey()
    {
        var key = new byte[32];
        for (var i = 0; i < key.Length; i++)
        {
            key[i] = (byte)i;
        }

        return key;
    }
}
