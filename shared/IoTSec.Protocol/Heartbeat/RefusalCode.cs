namespace IoTSec.Protocol.Heartbeat
{
    /// <summary>
    /// The "last refusal reason" a heartbeat carries (key 12): why the device last refused
    /// something the gateway or the network sent it. 0 means nothing was refused since the
    /// device's chain began (the code is sticky: it stays until something else is refused).
    /// </summary>
    /// <remarks>
    /// Codes are 32-bit and grouped in ranges of 256, so that another format's own reason
    /// enum maps in with one addition and no table to keep in step (docs/protocols/heartbeat.md,
    /// "Refusal codes"). A decoder accepts every value; unknown codes are reported as such.
    /// </remarks>
    public static class RefusalCode
    {
        /// <summary>Nothing refused.</summary>
        public const uint None = 0;

        /// <summary>Something was refused and no finer code applies (general range 0x0001-0x00FF).</summary>
        public const uint Unspecified = 0x0001;

        /// <summary>First code of the OTA manifest range: 0x0100 + the manifest verifier's rejection reason (1-255): the numeric value of ManifestRejection in IoTSec.Protocol.Manifest.</summary>
        public const uint ManifestRangeStart = 0x0100;

        /// <summary>First code of the OTA download and installation range.</summary>
        public const uint InstallRangeStart = 0x0200;

        /// <summary>Downloading the manifest or a component failed (transport).</summary>
        public const uint DownloadFailed = 0x0201;

        /// <summary>The manifest fetched does not have the digest the OTA offer announced.</summary>
        public const uint ManifestDigestMismatch = 0x0202;

        /// <summary>A downloaded component does not have the digest its manifest states.</summary>
        public const uint ComponentDigestMismatch = 0x0203;

        /// <summary>A downloaded component does not have the size its manifest states.</summary>
        public const uint ComponentSizeMismatch = 0x0204;

        /// <summary>Writing the inactive slot failed.</summary>
        public const uint SlotWriteFailed = 0x0205;

        /// <summary>The new image did not confirm itself during its trial boot; the previous image was restored.</summary>
        public const uint TrialBootFailed = 0x0206;

        /// <summary>The offered release has the version the device is running already (re-signed with a higher sequence, it would only burn the anti-rollback counter).</summary>
        public const uint AlreadyRunning = 0x0207;

        /// <summary>First code of the trust-anchor update range: 0x0300 + the update verifier's rejection reason (1-255): the numeric value of AnchorUpdateRejection in IoTSec.Protocol.Manifest.</summary>
        public const uint TrustAnchorRangeStart = 0x0300;

        /// <summary>First code of the downlink range (messages on down/ topics).</summary>
        public const uint DownlinkRangeStart = 0x0400;

        /// <summary>A down/ message failed its MAC under the heartbeat key.</summary>
        public const uint DownlinkBadMac = 0x0401;

        /// <summary>A down/ message was malformed or had invalid fields.</summary>
        public const uint DownlinkMalformed = 0x0402;

        /// <summary>A heartbeat acknowledgement answered no outstanding heartbeat (a replayed ack); its time was ignored.</summary>
        public const uint AckNotOutstanding = 0x0403;

        /// <summary>A command id not above the last one executed: a replayed command.</summary>
        public const uint CommandReplayed = 0x0404;

        /// <summary>First code of the enrolment and key range.</summary>
        public const uint EnrolmentRangeStart = 0x0500;

        /// <summary>Fetching the heartbeat key failed.</summary>
        public const uint HeartbeatKeyFetchFailed = 0x0501;

        /// <summary>The heartbeat key response was refused (see <see cref="HeartbeatKeyRejection"/>).</summary>
        public const uint HeartbeatKeyResponseRefused = 0x0502;

        /// <summary>Certificate renewal (EST simplereenroll) failed.</summary>
        public const uint RenewalFailed = 0x0503;

        /// <summary>First code of the range left to vendors and experiments (0xF000-0xFFFF).</summary>
        public const uint VendorRangeStart = 0xF000;

        /// <summary>Maps an OTA manifest rejection reason (1-255) into the manifest range.</summary>
        /// <param name="manifestReason">The numeric value of the manifest verifier's reason.</param>
        /// <returns>0x0100 + <paramref name="manifestReason"/>.</returns>
        /// <exception cref="System.ArgumentOutOfRangeException">The reason is not 1-255.</exception>
        public static uint FromManifestRejection(int manifestReason)
        {
            return InRange(ManifestRangeStart, manifestReason);
        }

        /// <summary>Maps a trust-anchor update rejection reason (1-255) into the trust-anchor range.</summary>
        /// <param name="updateReason">The numeric value of the update verifier's reason.</param>
        /// <returns>0x0300 + <paramref name="updateReason"/>.</returns>
        /// <exception cref="System.ArgumentOutOfRangeException">The reason is not 1-255.</exception>
        public static uint FromTrustAnchorRejection(int updateReason)
        {
            return InRange(TrustAnchorRangeStart, updateReason);
        }

        /// <summary>The range a code falls in.</summary>
        /// <param name="code">A refusal code from a heartbeat.</param>
        /// <returns>Its category; <see cref="RefusalCategory.Reserved"/> for codes no range defines yet.</returns>
        public static RefusalCategory CategoryOf(uint code)
        {
            if (code == None)
            {
                return RefusalCategory.None;
            }

            if (code >= VendorRangeStart && code <= 0xFFFF)
            {
                return RefusalCategory.Vendor;
            }

            switch (code >> 8)
            {
                case 0x00: return RefusalCategory.General;
                case 0x01: return RefusalCategory.Manifest;
                case 0x02: return RefusalCategory.Install;
                case 0x03: return RefusalCategory.TrustAnchor;
                case 0x04: return RefusalCategory.Downlink;
                case 0x05: return RefusalCategory.Enrolment;
                default: return RefusalCategory.Reserved;
            }
        }

        private static uint InRange(uint start, int reason)
        {
            if (reason < 1 || reason > 255)
            {
                throw new System.ArgumentOutOfRangeException("reason", "a rejection reason mapped into a refusal range is 1-255");
            }

            return start + (uint)reason;
        }
    }

    /// <summary>The ranges of <see cref="RefusalCode"/>.</summary>
    public enum RefusalCategory
    {
        /// <summary>Code 0: nothing refused.</summary>
        None = 0,

        /// <summary>0x0001-0x00FF.</summary>
        General = 1,

        /// <summary>0x0100-0x01FF: OTA manifest refused by its verifier.</summary>
        Manifest = 2,

        /// <summary>0x0200-0x02FF: OTA download or installation failed.</summary>
        Install = 3,

        /// <summary>0x0300-0x03FF: trust-anchor update refused.</summary>
        TrustAnchor = 4,

        /// <summary>0x0400-0x04FF: a downlink message refused.</summary>
        Downlink = 5,

        /// <summary>0x0500-0x05FF: enrolment, renewal or heartbeat key.</summary>
        Enrolment = 6,

        /// <summary>0xF000-0xFFFF: vendor-defined.</summary>
        Vendor = 7,

        /// <summary>Any other code: reserved for later versions.</summary>
        Reserved = 8,
    }
}
