# The tables are made by migrations that run coopnet's own tenant DDL (see migrations/).
