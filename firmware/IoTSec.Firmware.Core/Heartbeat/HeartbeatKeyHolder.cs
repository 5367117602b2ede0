using System;
using IoTSec.Protocol.Heartbeat;

namespace IoTSec.Firmware.Heartbeat
{
    /// <summary>
    /// The device's current heartbeat key (32 bytes from the gateway's heartbeat-key endpoint,
    /// docs/protocols/heartbeat-key.md), shared by the heartbeat agent (MAC of heartbeats) and
    /// the downlink handlers (MAC of acknowledgements and commands). Held in RAM only: the
    /// enrolment area fetches it again after every boot.
    /// </summary>
    public sealed class HeartbeatKeyHolder
    {
        private readonly object _gate = new object();
        private byte[] _key;
        private byte[] _keyId;

        /// <summary>True once a key is set.</summary>
        public bool HasKey
        {
            get
            {
                lock (_gate)
                {
                    return _key != null;
                }
            }
        }

        /// <summary>Sets the key (copied). A key with another key id starts a new heartbeat chain at sequence 0.</summary>
        /// <param name="key">The 32-byte heartbeat key.</param>
        public void Set(byte[] key)
        {
            if (key == null || key.Length != HeartbeatKeyDerivation.KeyLength)
            {
                throw new ArgumentException("a heartbeat key is 32 bytes", "key");
            }

            byte[] copy = (byte[])key.Clone();
            byte[] id = HeartbeatKeyDerivation.ComputeKeyId(copy);
            lock (_gate)
            {
                _key = copy;
                _keyId = id;
            }
        }

        /// <summary>Forgets the key (decommission, re-enrolment): no heartbeat is sent and no downlink message accepted until a new one is set.</summary>
        public void Clear()
        {
            lock (_gate)
            {
                if (_key != null)
                {
                    Array.Clear(_key, 0, _key.Length);
                }

                _key = null;
                _keyId = null;
            }
        }

        /// <summary>The key itself (not a copy: never log it), or null.</summary>
        internal byte[] Key
        {
            get
            {
                lock (_gate)
                {
                    return _key;
                }
            }
        }

        /// <summary>SHA-256(key)[0..8], naming the key epoch without revealing the key; null when no key.</summary>
        internal byte[] KeyId
        {
            get
            {
                lock (_gate)
                {
                    return _keyId;
                }
            }
        }
    }
}
