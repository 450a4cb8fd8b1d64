pub mod db;
#[cfg(test)]
mod tests;
