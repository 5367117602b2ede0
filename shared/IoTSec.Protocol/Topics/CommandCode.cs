namespace IoTSec.Protocol.Topics
{
    /// <summary>
    /// What a <see cref="DeviceCommand"/> asks for (key 2). The decoder accepts any 32-bit
    /// code so that a device can answer one it does not know with
    /// <see cref="CommandResult.Unsupported"/> and the command's id.
    /// </summary>
    public enum CommandCode
    {
        /// <summary>Restart now. No arguments.</summary>
        Reboot = 1,

        /// <summary>Enrol again (EST simplereenroll), then fetch the new heartbeat key and start a new chain. No arguments.</summary>
        ReEnrol = 2,

        /// <summary>Publish a full posture report on up/posture. No arguments.</summary>
        ReportPosture = 3,

        /// <summary>Apply a trust-anchor update; the arguments are the signed update (a COSE_Sign1 trust-anchor update of IoTSec.Protocol.Manifest, opaque here), verified by the device before use. Arguments required.</summary>
        ApplyTrustAnchorUpdate = 4,

        /// <summary>Erase the identity and keys and stop; the gateway revokes the certificate. No arguments.</summary>
        Decommission = 5,

        /// <summary>Fetch the heartbeat key again (after the gateway rotated its heartbeat secret); a new key id starts a new chain. No arguments.</summary>
        RefreshHeartbeatKey = 6,
    }
}
