using IoTSec.Protocol.Console;

// Which properties hold a value depends on the command; the others are null. The portable
// sources cannot annotate that (the nanoFramework build has no nullable context), so this
// file opts out of nullable analysis instead of pretending every property is always set.
#nullable disable

namespace IoTSec.Protocol.Provisioning
{
    /// <summary>
    /// A provisioning request as the device decoded it (<see cref="ProvisioningPayloads.DecodeRequest"/>):
    /// the command and its arguments. Which properties are set depends on the command.
    /// </summary>
    public sealed class ProvisioningRequest
    {
        internal ProvisioningRequest(ConsoleCommand command)
        {
            Command = command;
        }

        /// <summary>The command.</summary>
        public ConsoleCommand Command { get; }

        /// <summary>Hello: the highest payload version the tool speaks (1 to 255); otherwise 0.</summary>
        public int ProtocolVersion { get; internal set; }

        /// <summary>Write commands: the item written (one bit); otherwise <see cref="StagedItems.None"/>.</summary>
        public StagedItems Item { get; internal set; }

        /// <summary>Write commands: the chunk; otherwise null.</summary>
        public WriteChunk Chunk { get; internal set; }

        /// <summary>Lock and FactoryReset: the hardware id the tool confirms it means; otherwise null.</summary>
        public string HardwareId { get; internal set; }

        /// <summary>WriteTrustAnchors whose chunk is the whole item, decoded with items: the list; otherwise null.</summary>
        public TrustAnchorList TrustAnchors { get; internal set; }

        /// <summary>WriteConfiguration whose chunk is the whole item, decoded with items: the configuration; otherwise null.</summary>
        public ProvisioningConfiguration Configuration { get; internal set; }
    }
}
