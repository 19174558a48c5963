"""ChainLit's own tables (threads, steps, elements, feedback) in Copiloto's database.

ChainLit's SQLAlchemy data layer expects this schema (docs.chainlit.io/data-layers/sqlalchemy) but
does not create it; declaring it here lets Alembic create and migrate it with everything else, on
SQLite and PostgreSQL alike. Ids are text (ChainLit binds UUID strings in raw SQL).
"""

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlmodel import SQLModel

_json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_tags = sa.JSON().with_variant(postgresql.ARRAY(sa.Text()), "postgresql")
metadata = SQLModel.metadata

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("identifier", sa.Text, nullable=False, unique=True),
    sa.Column("metadata", _json, nullable=False),
    sa.Column("createdAt", sa.Text),
)

threads = sa.Table(
    "threads",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("createdAt", sa.Text),
    sa.Column("name", sa.Text),
    sa.Column("userId", sa.Text, sa.ForeignKey("users.id", ondelete="CASCADE")),
    sa.Column("userIdentifier", sa.Text),
    sa.Column("tags", _tags),
    sa.Column("metadata", _json),
)

steps = sa.Table(
    "steps",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("threadId", sa.Text, sa.ForeignKey("threads.id", ondelete="CASCADE"), nullable=False),
    sa.Column("parentId", sa.Text),
    sa.Column("streaming", sa.Boolean, nullable=False),
    sa.Column("waitForAnswer", sa.Boolean),
    sa.Column("isError", sa.Boolean),
    sa.Column("metadata", _json),
    sa.Column("tags", _tags),
    sa.Column("input", sa.Text),
    sa.Column("output", sa.Text),
    sa.Column("createdAt", sa.Text),
    sa.Column("command", sa.Text),
    sa.Column("start", sa.Text),
    sa.Column("end", sa.Text),
    sa.Column("generation", _json),
    sa.Column("showInput", sa.Text),
    sa.Column("language", sa.Text),
    sa.Column("indent", sa.Integer),
    sa.Column("defaultOpen", sa.Boolean),
    sa.Column("autoCollapse", sa.Boolean),
    sa.Column("modes", _json),
)

elements = sa.Table(
    "elements",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("threadId", sa.Text, sa.ForeignKey("threads.id", ondelete="CASCADE")),
    sa.Column("type", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("chainlitKey", sa.Text),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("display", sa.Text),
    sa.Column("objectKey", sa.Text),
    sa.Column("size", sa.Text),
    sa.Column("page", sa.Integer),
    sa.Column("language", sa.Text),
    sa.Column("forId", sa.Text),
    sa.Column("mime", sa.Text),
    sa.Column("props", sa.Text),  # ChainLit json.loads() it on read
    sa.Column("autoPlay", sa.Boolean),
    sa.Column("playerConfig", _json),
)

feedbacks = sa.Table(
    "feedbacks",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("forId", sa.Text, nullable=False),
    sa.Column("threadId", sa.Text, sa.ForeignKey("threads.id", ondelete="CASCADE"), nullable=False),
    sa.Column("value", sa.Integer, nullable=False),
    sa.Column("comment", sa.Text),
)
