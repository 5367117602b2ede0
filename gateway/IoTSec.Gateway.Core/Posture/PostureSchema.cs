using System.Collections.Generic;
using IoTSec.Gateway.Core.Storage;

namespace IoTSec.Gateway.Core.Posture;

/// <summary>
/// The posture database's schema (posture.db), forward-only like the inventory's. Times are
/// UTC Unix milliseconds of the gateway's clock; verdicts are stored by lowercase name.
/// </summary>
internal static class PostureSchema
{
    public const string Name = "posture";

    public static readonly IReadOnlyList<SchemaMigration> Migrations =
    [
        new(1, "device posture and key epochs", """
            -- One row per device that ever sent a verified heartbeat: its current key epoch,
            -- the chain verifier's state and the verdict. Rewritten after every heartbeat,
            -- before the acknowledgement leaves.
            CREATE TABLE device_posture (
                device_id           TEXT    PRIMARY KEY NOT NULL CHECK (length(device_id) BETWEEN 1 AND 64),
                device_class        TEXT    NOT NULL CHECK (length(device_class) BETWEEN 1 AND 64),
                certificate_serial  BLOB    NOT NULL CHECK (length(certificate_serial) BETWEEN 1 AND 20),
                key_id              BLOB    NOT NULL CHECK (length(key_id) = 8),
                epoch_started_at    INTEGER NOT NULL,
                chain_state         BLOB    NOT NULL CHECK (length(chain_state) <= 4096),
                boot_count          INTEGER,
                firmware_digest     BLOB    CHECK (firmware_digest IS NULL OR length(firmware_digest) = 32),
                firmware_version    TEXT,
                last_sequence       INTEGER,
                last_heartbeat_at   INTEGER,
                verdict             TEXT    NOT NULL CHECK (verdict IN ('unknown', 'healthy', 'degraded', 'compromised')),
                verdict_reason      TEXT    NOT NULL,
                verdict_since       INTEGER NOT NULL,
                evidence            TEXT,
                silent              INTEGER NOT NULL CHECK (silent IN (0, 1)),
                recent_boots        TEXT    NOT NULL,
                operating_confirmed INTEGER NOT NULL CHECK (operating_confirmed IN (0, 1)),
                next_command_id     INTEGER NOT NULL CHECK (next_command_id >= 1)
            ) STRICT;

            -- Every key epoch a device started, for the record (renewals, re-enrolments).
            CREATE TABLE key_epochs (
                device_id          TEXT    NOT NULL,
                certificate_serial BLOB    NOT NULL,
                key_id             BLOB    NOT NULL,
                started_at         INTEGER NOT NULL,
                PRIMARY KEY (device_id, key_id)
            ) STRICT;
            """),
    ];
}
