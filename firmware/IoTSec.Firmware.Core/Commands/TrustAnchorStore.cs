using System;
using IoTSec.Firmware.Heartbeat;
using IoTSec.Firmware.Platform;
using IoTSec.Firmware.Storage;
using IoTSec.Protocol.Cose;
using IoTSec.Protocol.Manifest;
using IoTSec.Protocol.Provisioning;
using IoTSec.Protocol.Rsa;
using ProvisionedKind = IoTSec.Protocol.Provisioning.TrustAnchorKind;
using UpdateKind = IoTSec.Protocol.Manifest.TrustAnchorKind;

namespace IoTSec.Firmware.Commands
{
    /// <summary>
    /// The trust anchors the device holds now: the provisioned list until a verified
    /// trust-anchor update replaces one, then the updated list (record <c>cmd-anchors</c>)
    /// together with the anchor-update counter that stops a replay of an older update.
    /// </summary>
    /// <remarks>
    /// Record: <c>version 1 (u8) | update counter (u64 BE) | trust-anchor list (console.md encoding)</c>.
    /// The counter and the list are one record so that a power cut leaves both old or both
    /// new: a new key with an old counter would let the previous update be replayed, an old
    /// key with a new counter would lose the rotation. An update replaces every anchor of its
    /// kind with the one it carries: after an OTA key rotation only the new key verifies
    /// manifests (the old key may be the reason for the rotation).
    /// </remarks>
    public sealed class TrustAnchorStore
    {
        private const string RecordName = "cmd-anchors";
        private const byte Version = 1;

        private readonly RecordStore _store;
        private readonly object _gate = new object();
        private TrustAnchorList _current;
        private ulong _counter;

        /// <summary>Loads the anchors: the persisted update if any, else <paramref name="provisioned"/>.</summary>
        /// <param name="flash">The device's flash.</param>
        /// <param name="provisioned">The anchors the provisioning console committed.</param>
        /// <exception cref="FlashException">The record is present but not readable as an anchor list (fails closed).</exception>
        public TrustAnchorStore(IFlashStore flash, TrustAnchorList provisioned)
        {
            if (provisioned == null)
            {
                throw new ArgumentNullException("provisioned");
            }

            _store = new RecordStore(flash, RecordName);
            _current = provisioned;
            byte[] payload = _store.Read();
            if (payload == null)
            {
                return;
            }

            if (payload.Length < 10 || payload[0] != Version)
            {
                throw new FlashException("record " + RecordName + " has an unknown layout");
            }

            byte[] list = new byte[payload.Length - 9];
            Array.Copy(payload, 9, list, 0, list.Length);
            try
            {
                _current = TrustAnchorList.Decode(list);
            }
            catch (ProvisioningPayloadException e)
            {
                throw new FlashException("record " + RecordName + " does not hold a valid anchor list: " + e.Message);
            }

            _counter = BigEndian.GetUInt64(payload, 1);
        }

        /// <summary>The anchors now trusted.</summary>
        public TrustAnchorList Current
        {
            get
            {
                lock (_gate)
                {
                    return _current;
                }
            }
        }

        /// <summary>The highest anchor-update sequence applied (0 when none).</summary>
        public ulong UpdateCounter
        {
            get
            {
                lock (_gate)
                {
                    return _counter;
                }
            }
        }

        /// <summary>The OTA signing keys now trusted, for a ManifestVerifier or a TrustAnchorUpdateVerifier; read it for every verification, so a rotation takes effect at once.</summary>
        /// <returns>A new array.</returns>
        /// <exception cref="RsaKeyException">A stored COSE key is not an acceptable PS256 key.</exception>
        public CoseTrustedKey[] CurrentOtaKeys()
        {
            TrustAnchorList list = Current;
            int count = 0;
            for (int i = 0; i < list.Count; i++)
            {
                if (list.Get(i).Kind == ProvisionedKind.OtaSigningKey)
                {
                    count++;
                }
            }

            var keys = new CoseTrustedKey[count];
            int next = 0;
            for (int i = 0; i < list.Count; i++)
            {
                TrustAnchor anchor = list.Get(i);
                if (anchor.Kind == ProvisionedKind.OtaSigningKey)
                {
                    keys[next++] = new CoseTrustedKey(anchor.GetKeyId(), RsaCoseKey.Decode(anchor.GetValue()));
                }
            }

            return keys;
        }

        /// <summary>The gateway root certificate (DER) the TLS stack must chain the gateway to.</summary>
        /// <returns>A copy of the first gateway root.</returns>
        public byte[] CurrentGatewayRoot()
        {
            TrustAnchorList list = Current;
            for (int i = 0; i < list.Count; i++)
            {
                if (list.Get(i).Kind == ProvisionedKind.GatewayRoot)
                {
                    return list.Get(i).GetValue();
                }
            }

            // A TrustAnchorList always holds one; reaching this is a bug.
            throw new InvalidOperationException("no gateway root in the trust anchors");
        }

        /// <summary>The key ids of the anchors held, in order (for the posture report).</summary>
        /// <returns>New arrays.</returns>
        public byte[][] KeyIds()
        {
            TrustAnchorList list = Current;
            var ids = new byte[list.Count][];
            for (int i = 0; i < ids.Length; i++)
            {
                ids[i] = list.Get(i).GetKeyId();
            }

            return ids;
        }

        /// <summary>
        /// Applies a verified update: replaces the anchors of its kind with its anchor and
        /// raises the counter to its sequence, both persisted in one record before returning.
        /// </summary>
        /// <param name="update">An update returned by <see cref="TrustAnchorUpdateVerifier.Verify"/>.</param>
        /// <exception cref="ProvisioningPayloadException">The new anchor does not fit a trust-anchor list (for example a key id over 32 bytes); nothing changes.</exception>
        /// <exception cref="FlashException">Persisting failed; nothing changes in RAM.</exception>
        public void Apply(TrustAnchorUpdate update)
        {
            if (update == null)
            {
                throw new ArgumentNullException("update");
            }

            ProvisionedKind kind;
            if (update.Kind == UpdateKind.OtaSigningKey)
            {
                kind = ProvisionedKind.OtaSigningKey;
            }
            else if (update.Kind == UpdateKind.GatewayRoot)
            {
                kind = ProvisionedKind.GatewayRoot;
            }
            else
            {
                throw new ArgumentException("unknown anchor kind " + ((int)update.Kind).ToString(), "update");
            }

            lock (_gate)
            {
                var kept = new TrustAnchor[_current.Count + 1];
                int count = 0;
                for (int i = 0; i < _current.Count; i++)
                {
                    if (_current.Get(i).Kind != kind)
                    {
                        kept[count++] = _current.Get(i);
                    }
                }

                kept[count++] = new TrustAnchor(kind, update.GetAnchor(), update.GetKeyId());
                var anchors = new TrustAnchor[count];
                Array.Copy(kept, anchors, count);
                var list = new TrustAnchorList(anchors);
                byte[] encoded = list.Encode();
                var payload = new byte[9 + encoded.Length];
                payload[0] = Version;
                BigEndian.PutUInt64(payload, 1, update.Sequence);
                Array.Copy(encoded, 0, payload, 9, encoded.Length);
                _store.Write(payload);
                _current = list;
                _counter = update.Sequence;
            }
        }
    }
}
