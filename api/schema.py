"""What OpenMetadata's schemas allow, as SDK 2.0.7 generates them.

The SDK validates every response with ``extra='forbid'``, and OpenMetadata's
server refuses unknown request keys, so the keys each request and entity may
carry are listed here once, together with the enumerations ModelAtlas checks
values against. Taken from the SDK's generated models (``metadata.generated``).
"""

# fmt: off
# (Key sets and enumerations are written as compact blocks, not one item per line.)
_DATA_ASSET_CREATE = {"name", "displayName", "description", "owners", "tags", "domains", "dataProducts", "extension",
                      "lifeCycle", "sourceHash", "sourceUrl"}
_SERVICE_CREATE = {"name", "displayName", "description", "serviceType", "connection", "owners", "tags", "domains",
                   "dataProducts", "ingestionRunner", "style"}
_ENTITY = {"id", "name", "fullyQualifiedName", "displayName", "description", "version", "updatedAt", "updatedBy",
           "href", "deleted", "changeDescription", "incrementalChangeDescription", "impersonatedBy"}
_DATA_ASSET = _ENTITY | {"owners", "followers", "tags", "domains", "dataProducts", "votes", "extension", "lifeCycle",
                         "sourceHash", "sourceUrl", "usageSummary", "certification", "dataContract", "entityStatus",
                         "service", "serviceType"}
_SERVICE = _ENTITY | {"serviceType", "connection", "owners", "tags", "domains", "dataProducts", "followers",
                      "pipelines", "ingestionRunner", "style", "testConnectionResult", "dataContract", "entityStatus"}

#: Keys of each create request (PUT and POST bodies).
CREATE_KEYS = {
    "mlmodel": _DATA_ASSET_CREATE | {"service", "algorithm", "dashboard", "mlFeatures", "mlHyperParameters", "mlStore",
                                     "server", "target"},
    "table": _DATA_ASSET_CREATE | {"databaseSchema", "columns", "tableType", "aliases", "dataModel", "fileFormat",
                                   "locationPath", "retentionPeriod", "schemaDefinition", "tableConstraints",
                                   "tablePartition", "tableProfilerConfig"},
    "database": _DATA_ASSET_CREATE | {"service", "default", "retentionPeriod"},
    "databaseSchema": _DATA_ASSET_CREATE | {"database", "retentionPeriod"},
    "dashboard": _DATA_ASSET_CREATE | {"service", "charts", "dashboardType", "dataModels", "project"},
    "mlmodelService": _SERVICE_CREATE,
    "databaseService": _SERVICE_CREATE,
    "dashboardService": _SERVICE_CREATE,
    "user": {"name", "displayName", "description", "email", "isBot", "isAdmin", "teams", "roles", "timezone",
             "botName", "authenticationMechanism", "profile", "personas", "defaultPersona", "domains", "externalId",
             "scimUserName", "createPasswordType", "password", "confirmPassword"},
    "team": {"name", "displayName", "description", "teamType", "email", "users", "owners", "parents", "children",
             "policies", "defaultRoles", "defaultPersona", "profile", "domains", "isJoinable", "externalId"},
    "classification": {"name", "displayName", "description", "mutuallyExclusive", "provider", "owners", "domains",
                       "reviewers", "autoClassificationConfig"},
    "tag": {"name", "displayName", "description", "classification", "parent", "style", "associatedTags", "provider",
            "mutuallyExclusive", "owners", "domains", "reviewers", "autoClassificationEnabled",
            "autoClassificationPriority", "recognizers"},
}

#: Keys of each entity as served (what a JSON Patch result may contain).
ENTITY_KEYS = {
    "mlmodel": _DATA_ASSET | {"algorithm", "dashboard", "mlFeatures", "mlHyperParameters", "mlStore", "server",
                              "target"},
    "table": _DATA_ASSET | {"columns", "tableType", "database", "databaseSchema", "aliases", "compressionCodec",
                            "compressionEnabled", "compressionStrategy", "customMetrics", "dataModel", "fileFormat",
                            "joins", "location", "locationPath", "pipelineObservability", "processedLineage",
                            "profile", "queries", "retentionPeriod", "sampleData", "schemaDefinition",
                            "tableConstraints", "tablePartition", "tableProfilerConfig", "testSuite"},
    "database": _DATA_ASSET | {"databaseSchemas", "default", "databaseProfilerConfig", "location", "retentionPeriod"},
    "databaseSchema": _DATA_ASSET | {"database", "tables", "databaseSchemaProfilerConfig", "retentionPeriod"},
    "dashboard": _DATA_ASSET | {"charts", "dashboardType", "dataModels", "project"},
    "mlmodelService": _SERVICE,
    "databaseService": _SERVICE,
    "dashboardService": _SERVICE,
    "user": _ENTITY | {"email", "isBot", "isAdmin", "teams", "roles", "timezone", "allowImpersonation",
                       "authenticationMechanism", "defaultPersona", "domains", "externalId", "follows",
                       "inheritedPersonas", "inheritedRoles", "isEmailVerified", "lastActivityTime", "lastLoginTime",
                       "owns", "personaPreferences", "personas", "profile", "scimUserName"},
    "team": _ENTITY | {"teamType", "email", "users", "owners", "parents", "children", "childrenCount",
                       "defaultPersona", "defaultRoles", "descendantTeams", "domains", "externalId",
                       "inheritedRoles", "isJoinable", "owns", "policies", "profile", "userCount"},
    "classification": _ENTITY | {"mutuallyExclusive", "provider", "owners", "domains", "reviewers", "disabled",
                                 "entityStatus", "termCount", "usageCount", "autoClassificationConfig"},
    "tag": _ENTITY | {"classification", "parent", "children", "style", "provider", "mutuallyExclusive", "owners",
                      "domains", "dataProducts", "reviewers", "deprecated", "disabled", "entityStatus", "usageCount",
                      "dataContract", "autoClassificationEnabled", "autoClassificationPriority", "recognizers"},
}

ML_FEATURE_KEYS = {
    "name", "dataType", "description", "featureAlgorithm", "featureSources", "fullyQualifiedName", "tags"
}
FEATURE_SOURCE_KEYS = {"name", "dataType", "description", "dataSource", "fullyQualifiedName", "tags"}
HYPERPARAMETER_KEYS = {"name", "value", "description"}
ML_STORE_KEYS = {"storage", "imageRepository"}
COLUMN_KEYS = {"name", "dataType", "dataTypeDisplay", "displayName", "description", "fullyQualifiedName", "tags",
               "ordinalPosition", "arrayDataType", "children", "constraint", "customMetrics", "dataLength",
               "extension", "jsonSchema", "precision", "profile", "scale"}
LINEAGE_DETAILS_KEYS = {"sqlQuery", "columnsLineage", "pipeline", "description", "source", "createdAt", "createdBy",
                        "updatedAt", "updatedBy", "assetEdges", "tempLineageTables"}
COLUMN_LINEAGE_KEYS = {"fromColumns", "toColumn", "function"}

COLUMN_DATA_TYPES = (
    "NUMBER", "TINYINT", "SMALLINT", "INT", "BIGINT", "BYTEINT", "BYTES", "FLOAT", "DOUBLE", "DECIMAL", "NUMERIC",
    "TIMESTAMP", "TIMESTAMPZ", "TIME", "DATE", "DATETIME", "INTERVAL", "STRING", "MEDIUMTEXT", "TEXT", "CHAR", "LONG",
    "VARCHAR", "BOOLEAN", "BINARY", "VARBINARY", "ARRAY", "BLOB", "LONGBLOB", "MEDIUMBLOB", "MAP", "STRUCT", "UNION",
    "SET", "GEOGRAPHY", "ENUM", "JSON", "UUID", "VARIANT", "GEOMETRY", "BYTEA", "AGGREGATEFUNCTION", "ERROR", "FIXED",
    "RECORD", "NULL", "SUPER", "HLLSKETCH", "PG_LSN", "PG_SNAPSHOT", "TSQUERY", "TXID_SNAPSHOT", "XML", "MACADDR",
    "TSVECTOR", "UNKNOWN", "CIDR", "INET", "CLOB", "ROWID", "LOWCARDINALITY", "YEAR", "POINT", "POLYGON", "TUPLE",
    "SPATIAL", "TABLE", "NTEXT", "IMAGE", "IPV4", "IPV6", "DATETIMERANGE", "HLL", "LARGEINT", "QUANTILE_STATE",
    "AGG_STATE", "BITMAP", "UINT", "BIT", "MONEY", "MEASURE HIDDEN", "MEASURE VISIBLE", "MEASURE", "KPI", "HEIRARCHY",
    "HIERARCHYID",
)
DATABASE_SERVICE_TYPES = (
    "BigQuery", "BigTable", "Mysql", "Redshift", "Snowflake", "Postgres", "Timescale", "Mssql", "MicrosoftAccess",
    "Oracle", "Athena", "Hive", "Impala", "Presto", "Trino", "Vertica", "Glue", "MariaDB", "Druid", "Db2",
    "Clickhouse", "Databricks", "AzureSQL", "DynamoDB", "SingleStore", "SQLite", "DeltaLake", "Salesforce", "PinotDB",
    "Datalake", "DomoDatabase", "QueryLog", "CustomDatabase", "Dbt", "SapHana", "SapSuccessFactors", "MongoDB",
    "Cassandra", "Couchbase", "Greenplum", "Doris", "StarRocks", "UnityCatalog", "SAS", "Teradata", "SapErp",
    "Synapse", "Exasol", "Cockroach", "SSAS", "Epic", "ServiceNow", "Dremio", "MicrosoftFabric", "BurstIQ", "Informix",
    "Iomete", "QuestDB", "SapBw4Hana",
)
DASHBOARD_SERVICE_TYPES = (
    "Superset", "Looker", "Tableau", "Redash", "Metabase", "PowerBI", "PowerBIReportServer", "Mode", "CustomDashboard",
    "DomoDashboard", "QuickSight", "QlikSense", "Lightdash", "MicroStrategy", "QlikCloud", "Sigma", "ThoughtSpot",
    "Grafana", "Hex", "Ssrs", "SapS4Hana", "Omni",
)
TABLE_TYPES = ("Regular", "External", "Dynamic", "View", "SecureView", "MaterializedView", "Iceberg", "Local",
               "Partitioned", "Foreign", "Transient", "Stream", "Stage", "SemanticView")
DASHBOARD_TYPES = ("Dashboard", "Report")
LINEAGE_SOURCES = ("Manual", "ViewLineage", "QueryLineage", "PipelineLineage", "DashboardLineage", "DbtLineage",
                   "SparkLineage", "OpenLineage", "ExternalTableLineage", "CrossDatabaseLineage", "ChildAssets")

#: Field names ``?fields=`` accepts per type besides the relation fields of
#: ``catalog.representations`` (OpenMetadata documents them; they cost nothing here).
EXTRA_FIELD_NAMES = {
    "mlmodel": {"lifeCycle", "certification", "dataContract", "entityStatus"},
    "table": {"tableConstraints", "tablePartition", "customMetrics", "joins", "schemaDefinition", "dataModel",
              "testSuite", "lifeCycle", "sourceHash", "certification", "dataContract", "entityStatus", "profile"},
    "database": {"location", "lifeCycle", "sourceHash", "certification", "dataContract", "dataProducts", "votes"},
    "databaseSchema": {"lifeCycle", "sourceHash", "certification", "dataContract", "dataProducts", "votes"},
    "dashboard": {"dataModels", "lifeCycle", "sourceHash", "certification", "dataContract", "entityStatus"},
    "mlmodelService": {"dataProducts", "ingestionRunner", "testConnectionResult"},
    "databaseService": {"dataProducts", "ingestionRunner", "testConnectionResult"},
    "dashboardService": {"dataProducts", "ingestionRunner", "testConnectionResult"},
    "user": {"isBot", "isAdmin", "email", "lastLoginTime", "lastActivityTime"},
    "team": {"userCount", "childrenCount"},
    "classification": {"owners", "domains"},
    "tag": {"owners", "domains"},
}
# fmt: on
