using System.Collections.Generic;
using IoTSec.Gateway.Core.Storage;

namespace IoTSec.Gateway.Core.Inventory;

/// <summary>
/// The inventory's schema, as forward-only migrations. Released steps are never edited:
/// a change is a new step at the end. Times are UTC Unix milliseconds; enums are stored by
/// lowercase name so the file reads well in the sqlite3 shell.
/// </summary>
internal static class InventorySchema
{
    public const string Name = "inventory";

    public static readonly IReadOnlyList<SchemaMigration> Migrations =
    [
        new(1, "devices, revocations, certificates", """
            CREATE TABLE devices (
                device_id         TEXT    PRIMARY KEY NOT NULL CHECK (length(device_id) BETWEEN 1 AND 64),
                device_class      TEXT    NOT NULL CHECK (length(device_class) BETWEEN 1 AND 64),
                state             TEXT    NOT NULL CHECK (state IN ('registered', 'enrolled', 'operating', 'quarantined', 'revoked', 'decommissioned')),
                birth_cert_sha256 TEXT    NOT NULL UNIQUE CHECK (length(birth_cert_sha256) = 64),
                created_at        INTEGER NOT NULL,
                updated_at        INTEGER NOT NULL,
                posture_verdict   TEXT,
                posture_at        INTEGER,
                closed_at         INTEGER,
                CHECK ((state = 'decommissioned') = (closed_at IS NOT NULL))
            ) STRICT;
            CREATE INDEX devices_by_state ON devices (state);
            CREATE INDEX devices_by_class ON devices (device_class);

            -- One row per revocation or decommissioning, in commit order: the id is what a
            -- daemon polls to learn about revocations another process (the CLI) committed.
            CREATE TABLE revocations (
                revocation_id  INTEGER PRIMARY KEY AUTOINCREMENT,
                device_id      TEXT    NOT NULL REFERENCES devices (device_id),
                reason         TEXT    NOT NULL,
                revoked_at     INTEGER NOT NULL,
                decommissioned INTEGER NOT NULL CHECK (decommissioned IN (0, 1))
            ) STRICT;

            -- Serials are unique per issuer only (RFC 5280 4.1.2.2): birth certificates from
            -- several station CAs may share serials, so the key is (issuer, serial).
            CREATE TABLE certificates (
                issuer            TEXT    NOT NULL,
                serial_hex        TEXT    NOT NULL,
                device_id         TEXT    NOT NULL REFERENCES devices (device_id),
                sha256            TEXT    NOT NULL UNIQUE CHECK (length(sha256) = 64),
                kind              TEXT    NOT NULL CHECK (kind IN ('birth', 'operational')),
                status            TEXT    NOT NULL CHECK (status IN ('active', 'superseded', 'revoked')),
                not_before        INTEGER NOT NULL,
                not_after         INTEGER NOT NULL,
                recorded_at       INTEGER NOT NULL,
                superseded_at     INTEGER,
                revocation_id     INTEGER REFERENCES revocations (revocation_id),
                revoked_at        INTEGER,
                revocation_reason TEXT,
                PRIMARY KEY (issuer, serial_hex),
                CHECK ((status = 'revoked') = (revoked_at IS NOT NULL AND revocation_id IS NOT NULL))
            ) STRICT;
            CREATE INDEX certificates_by_device ON certificates (device_id);
            CREATE INDEX certificates_revoked ON certificates (revocation_id) WHERE revocation_id IS NOT NULL;
            -- The rule "one active operational certificate per device", enforced by the
            -- database itself so that no code path (or concurrent enrolment) can break it.
            CREATE UNIQUE INDEX one_active_operational_certificate ON certificates (device_id)
                WHERE kind = 'operational' AND status = 'active';
            CREATE UNIQUE INDEX one_birth_certificate ON certificates (device_id) WHERE kind = 'birth';
            """),
    ];
}
