/** The attendance model shared by the SpotMe and Marketo nodes (pure functions, no I/O). */
export * from './model';
export * from './values';
export * from './normalise';
export * from './criteria';
export * from './person';
export * from './statusMapping';
