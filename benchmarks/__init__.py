"""Speed and memory of the toolkit at practice scale, against pandas, SQLite and a floor."""
